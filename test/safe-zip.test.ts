import { expect } from 'chai';
import { DEFAULT_ZIP_LIMITS, readArchive, UnsafeArchiveError } from '../src/templates/safe-zip.ts';
import { buildZip, type EntrySpec, patchEntry, SYMLINK_MODE } from './helpers/zip-builder.ts';

/** The reason readArchive gives for refusing `data`, or undefined when it accepts it. */
function refusal(data: Buffer, limits = DEFAULT_ZIP_LIMITS): string | undefined {
  try {
    readArchive(data, limits);
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(UnsafeArchiveError);
    return (error as Error).message;
  }
}

function entries(...names: string[]): EntrySpec[] {
  return names.map((name) => ({ name, content: name.endsWith('/') ? '' : `content of ${name}` }));
}

describe('safe-zip: reading an archive as hostile input', () => {
  it('returns the files by normalized name, without folder entries, stored or deflated', () => {
    const files = readArchive(
      buildZip([...entries('./a/b.txt', 'dir/', 'dir\\c.txt'), { name: 'empty', content: '' }]),
    );
    expect([...files.keys()].sort()).to.deep.equal(['a/b.txt', 'dir/c.txt', 'empty']);
    expect(files.get('a/b.txt')?.toString()).to.equal('content of ./a/b.txt');
    expect(files.get('empty')?.length).to.equal(0);
  });

  for (const [name, reason] of [
    ['../x', 'entry ../x escapes the target folder'],
    ['a/../../x', 'entry a/../../x escapes the target folder'],
    ['a\\..\\..\\x', 'escapes the target folder'],
    ['/etc/x', 'entry /etc/x has an absolute path'],
    ['\\\\server\\share\\x', 'has an absolute path'],
    ['C:/x', 'entry C:/x has an absolute path'],
    ['c:x', 'entry c:x has an absolute path'],
    ['a\0b', 'contains a NUL byte'],
    ['./', 'has an empty name'],
  ] as const) {
    it(`refuses the entry name ${JSON.stringify(name)}`, () => {
      expect(refusal(buildZip(entries('ok.txt', name)))).to.contain(reason);
    });
  }

  it('refuses a symbolic link, a file or a folder', () => {
    const link = buildZip([{ name: 'link', content: '/etc/passwd', mode: SYMLINK_MODE }]);
    expect(refusal(link)).to.equal('entry link is a symbolic link; links are not accepted');
    const folderLink = buildZip([{ name: 'up/', content: '', mode: SYMLINK_MODE }]);
    expect(refusal(folderLink)).to.contain('is a symbolic link');
  });

  it('refuses encrypted entries', () => {
    expect(refusal(patchEntry(buildZip(entries('secret.txt')), 'secret.txt', { flags: 1 }))).to.contain('is encrypted');
  });

  it('refuses more entries than the limit, folders included', () => {
    const limits = { ...DEFAULT_ZIP_LIMITS, maxEntries: 2 };
    expect(refusal(buildZip(entries('a', 'b')), limits)).to.equal(undefined);
    expect(refusal(buildZip(entries('a', 'b', 'c/')), limits)).to.equal('it has 3 entries; at most 2 are accepted');
  });

  it('refuses an archive whose declared sizes exceed the unpacked limit, before inflating anything', () => {
    const limits = { ...DEFAULT_ZIP_LIMITS, maxUnpackedBytes: 100 };
    const data = buildZip([
      { name: 'a', content: 'x'.repeat(60) },
      { name: 'b', content: 'y'.repeat(60) },
    ]);
    expect(refusal(data, limits)).to.equal('it unpacks to 120 bytes; at most 100 are accepted');
  });

  it('refuses an entry whose header declares less than it unpacks to, without inflating past the declared size', () => {
    const data = patchEntry(buildZip([{ name: 'big', content: Buffer.alloc(3000, 7) }]), 'big', { size: 10 });
    expect(refusal(data)).to.equal('entry big unpacks to more than the 10 bytes its header declares');
  });

  it('refuses an entry whose header declares more than it unpacks to', () => {
    const data = patchEntry(buildZip(entries('small')), 'small', { size: 500 });
    expect(refusal(data)).to.equal('entry small unpacks to 16 bytes but its header declares 500');
  });

  it('refuses an entry whose checksum does not match', () => {
    const data = patchEntry(buildZip(entries('a')), 'a', { crc: 1234 });
    expect(refusal(data)).to.equal('entry a is corrupt (its checksum does not match)');
  });

  it('refuses compression methods other than deflate and store', () => {
    const data = patchEntry(buildZip(entries('a')), 'a', { method: 12 });
    expect(refusal(data)).to.contain('uses compression method 12');
  });

  it('refuses an entry with a compression ratio over the limit, and accepts small repetitive files', () => {
    expect(refusal(buildZip([{ name: 'zeros', content: Buffer.alloc(100_000) }]))).to.match(
      /^entry zeros has a compression ratio of \d+; at most 100 is accepted$/,
    );
    expect(refusal(buildZip([{ name: 'zeros', content: Buffer.alloc(4000) }]))).to.equal(undefined);
  });

  it('refuses an archive whose entries are each small but together over the ratio limit', () => {
    const data = buildZip(
      Array.from({ length: 20 }, (_, index) => ({ name: `z${index}`, content: Buffer.alloc(4000) })),
    );
    expect(refusal(data)).to.match(/^the archive has a compression ratio of \d+; at most 100 is accepted$/);
  });

  it('refuses the same file twice, and files that clash with folders', () => {
    expect(refusal(buildZip(entries('a', './a')))).to.equal('entry a appears twice');
    expect(refusal(buildZip(entries('a', 'a/b')))).to.equal('entry a/b lies inside a, which is a file');
    expect(refusal(buildZip(entries('a', 'a/')))).to.equal('entry a is both a file and a folder');
  });

  it('refuses data that is not a zip archive', () => {
    expect(refusal(Buffer.from('plain text'))).to.match(/^it is not a readable zip archive/);
    expect(refusal(Buffer.alloc(0))).to.match(/^it is not a readable zip archive/);
  });
});
