import { expect } from 'chai';
import { IniDocument } from '../src/config/ini-document.ts';
import { UnwritableValueError } from '../src/config/ini-line.ts';

/** Parses text that must be free of syntax errors. */
function parse(text: string): IniDocument {
  const { document, errors } = IniDocument.parse(text);
  expect(errors).to.deep.equal([]);
  return document;
}

/** Applies `change` and returns the text written back. */
function edit(text: string, change: (document: IniDocument) => void): string {
  const document = parse(text);
  change(document);
  return document.toString();
}

/** A file as admins write them: comments of both kinds, odd spacing, tabs, quotes, unknown sections. */
const ADMIN_FILE = [
  '; gms.ini, edited by hand',
  '# second comment style',
  '',
  '[server]',
  'username = admin',
  '  password=secret   ; inline comment',
  '',
  '[service.iPhoneService]',
  '_type = builtin',
  '\t_service\t=\tget\t# tabs',
  '_ttl   =   30',
  'greeting = "  hello ; world  "',
  "quoted_single = 'x'",
  'color = a#b',
  'url = http://host/path?a=b&c=d',
  '; a comment line inside the section',
  '',
  '; comment introducing the next section',
  '[custom.unknown]',
  'anything goes = here',
  '[pattern.Callback_exceptions]',
  'exception1 = 555.*',
  'ex2=123.*',
  '',
].join('\n');

describe('IniDocument: reading', () => {
  it('gives back every file byte for byte when nothing changes', () => {
    const files = [
      ADMIN_FILE,
      ADMIN_FILE.replaceAll('\n', '\r\n'),
      '[a]\r\nx = 1\ny = 2\r\n',
      '[a]\nx = 1',
      '\uFEFF[a]\nx = 1\n',
      '',
      '; only a comment',
      '\n\n\n',
      '   \t\n[a]\n  \n',
    ];
    for (const text of files) expect(parse(text).toString()).to.equal(text);
  });

  it('reads values with the documented dialect', () => {
    const document = parse(ADMIN_FILE);
    expect(Object.fromEntries(document.section('service.iPhoneService') ?? [])).to.deep.equal({
      _type: 'builtin',
      _service: 'get',
      _ttl: '30',
      greeting: '  hello ; world  ',
      quoted_single: 'x',
      color: 'a#b',
      url: 'http://host/path?a=b&c=d',
    });
    expect(document.section('server')?.get('password')).to.equal('secret');
    expect(document.section('custom.unknown')?.get('anything goes')).to.equal('here');
    expect(document.sectionNames()).to.deep.equal([
      'server',
      'service.iPhoneService',
      'custom.unknown',
      'pattern.Callback_exceptions',
    ]);
    expect(document.section('missing')).to.equal(undefined);
  });

  it('reads edge values: empty, comments right after =, quotes followed by comments, unbalanced quotes', () => {
    const document = parse(
      [
        '[s]',
        'empty =',
        'empty2 = ; only a comment',
        'semicolon=;x',
        'quoted = "a" ; say "hi"',
        'unbalanced = "abc',
        'two_quotes = "a" "b"',
        'equals = a=b=c',
        '  indented key  =  v  ',
      ].join('\n'),
    );
    expect(Object.fromEntries(document.section('s') ?? [])).to.deep.equal({
      empty: '',
      empty2: '',
      semicolon: ';x',
      quoted: 'a',
      unbalanced: '"abc',
      two_quotes: 'a" "b',
      equals: 'a=b=c',
      'indented key': 'v',
    });
  });

  it('reports every syntax problem with its line number', () => {
    const { errors } = IniDocument.parse('orphan = 1\n[a]\nx = 1\nx = 2\nnot an entry\n[a]\n[broken\n');
    expect(errors).to.deep.equal([
      { line: 1, message: 'option orphan is outside any [section]' },
      { line: 4, message: 'option x appears twice in [a]' },
      { line: 5, message: 'cannot read "not an entry": expected [section] or key = value' },
      { line: 6, message: 'section [a] appears twice' },
      { line: 7, message: 'cannot read "[broken": expected [section] or key = value' },
    ]);
  });
});

describe('IniDocument: writing back only the changed lines', () => {
  it('changes only the value of an existing option, keeping its spacing and inline comment', () => {
    const after = edit(ADMIN_FILE, (document) => {
      document.set('service.iPhoneService', '_ttl', '60');
      document.set('server', 'password', 'new');
      document.set('service.iPhoneService', '_service', 'basic_get');
    });
    expect(after).to.equal(
      ADMIN_FILE.replace('_ttl   =   30', '_ttl   =   60')
        .replace('  password=secret   ; inline comment', '  password=new   ; inline comment')
        .replace('\t_service\t=\tget\t# tabs', '\t_service\t=\tbasic_get\t# tabs'),
    );
  });

  it('quotes a value only when it would not read back the same otherwise', () => {
    const cases: Array<[string, string]> = [
      ['plain', 'k = plain'],
      ['a#b', 'k = a#b'],
      [' padded ', 'k = " padded "'],
      ['x ; y', 'k = "x ; y"'],
      ['x # y', 'k = "x # y"'],
      ['"already"', `k = '"already"'`],
      ["it's ; fine", `k = "it's ; fine"`],
      ['', 'k ='],
      ['; starts like a comment', 'k = "; starts like a comment"'],
    ];
    for (const [value, line] of cases) {
      const after = edit('[s]\nk = old\n', (document) => document.set('s', 'k', value));
      expect(after, value).to.equal(`[s]\n${line}\n`);
      expect(parse(after).section('s')?.get('k'), value).to.equal(value);
    }
  });

  it('keeps a gap between = and a value written where there was none, and before an inline comment', () => {
    expect(edit('[s]\nk =\n', (d) => d.set('s', 'k', 'v'))).to.equal('[s]\nk = v\n');
    expect(edit('[s]\nk=\n', (d) => d.set('s', 'k', 'v'))).to.equal('[s]\nk=v\n');
    expect(edit('[s]\nk = ; note\n', (d) => d.set('s', 'k', 'v'))).to.equal('[s]\nk = v ; note\n');
    expect(edit('[s]\nk = v ; note\n', (d) => d.set('s', 'k', ''))).to.equal('[s]\nk = ; note\n');
  });

  it('refuses values and keys that could not be read back the same', () => {
    const document = parse('[s]\nk = v\n');
    expect(() => document.set('s', 'k', 'two\nlines')).to.throw(UnwritableValueError);
    expect(() => document.set('s', 'k', ` a" ;b' ;c `)).to.throw(UnwritableValueError);
    expect(() => document.rename('s', 'k', 'a=b')).to.throw(UnwritableValueError);
    expect(() => document.set('s', 'bad=key', 'v')).to.throw(UnwritableValueError);
    expect(document.toString()).to.equal('[s]\nk = v\n');
  });

  it('adds a new option after the section’s last option, above its trailing comments, in its style', () => {
    const after = edit(ADMIN_FILE, (document) => {
      document.set('service.iPhoneService', 'new_option', 'value');
      document.set('pattern.Callback_exceptions', 'ex3', 'a');
    });
    expect(after).to.equal(
      ADMIN_FILE.replace(
        'url = http://host/path?a=b&c=d\n',
        'url = http://host/path?a=b&c=d\nnew_option = value\n',
      ).replace('ex2=123.*\n', 'ex2=123.*\nex3=a\n'),
    );
  });

  it('copies the indentation of the section’s options', () => {
    expect(edit('[s]\n    a = 1\n', (d) => d.set('s', 'b', '2'))).to.equal('[s]\n    a = 1\n    b = 2\n');
  });

  it('writes new lines with the file’s line ending, and keeps mixed endings of untouched lines', () => {
    const crlf = ADMIN_FILE.replaceAll('\n', '\r\n');
    const after = edit(crlf, (document) => document.set('service.iPhoneService', 'added', 'yes'));
    expect(after).to.equal(crlf.replace('c=d\r\n', 'c=d\r\nadded = yes\r\n'));
    const mixed = '[a]\r\nx = 1\ny = 2\r\nz = 3\r\n';
    expect(edit(mixed, (d) => d.set('a', 'y', '20'))).to.equal('[a]\r\nx = 1\ny = 20\r\nz = 3\r\n');
  });

  it('keeps a file without a final line ending that way', () => {
    expect(edit('[a]\nx = 1', (d) => d.set('a', 'y', '2'))).to.equal('[a]\nx = 1\ny = 2');
    expect(edit('[a]\nx = 1', (d) => d.set('a', 'x', '5'))).to.equal('[a]\nx = 5');
    expect(edit('[a]\nx = 1', (d) => d.addSection('b'))).to.equal('[a]\nx = 1\n\n[b]');
    expect(edit('[a]\nx = 1\n\n[b]\ny = 2', (d) => d.removeSection('b'))).to.equal('[a]\nx = 1');
  });

  it('deletes only the option’s line, keeping the comment above it', () => {
    const document = parse(ADMIN_FILE);
    expect(document.delete('service.iPhoneService', 'color')).to.equal(true);
    expect(document.delete('service.iPhoneService', 'color')).to.equal(false);
    expect(document.delete('missing', 'color')).to.equal(false);
    expect(document.toString()).to.equal(ADMIN_FILE.replace('color = a#b\n', ''));
  });

  it('renames an option in place, keeping value, spacing and comment', () => {
    const document = parse(ADMIN_FILE);
    expect(document.rename('server', 'password', 'pass_word')).to.equal(true);
    expect(document.rename('server', 'nothing', 'x')).to.equal(false);
    expect(document.toString()).to.equal(ADMIN_FILE.replace('  password=secret', '  pass_word=secret'));
  });

  it('removes a section down to its last option, leaving the comments that introduce the next one', () => {
    const after = edit(ADMIN_FILE, (document) =>
      expect(document.removeSection('service.iPhoneService')).to.equal(true),
    );
    const start = ADMIN_FILE.indexOf('[service.iPhoneService]');
    const end = ADMIN_FILE.indexOf('; a comment line inside the section');
    expect(after).to.equal(ADMIN_FILE.slice(0, start) + ADMIN_FILE.slice(end));
  });

  it('removes the comment block that describes a section with it, but not a comment that ends the previous one', () => {
    const described = '[a]\nx = 1\n\n; the b service\n# owned by ops\n[b]\ny = 2\n\n[c]\nz = 3\n';
    expect(edit(described, (d) => d.removeSection('b'))).to.equal('[a]\nx = 1\n\n[c]\nz = 3\n');
    const trailing = '[a]\nx = 1\n;old = 2\n[b]\ny = 2\n';
    expect(edit(trailing, (d) => d.removeSection('b'))).to.equal('[a]\nx = 1\n;old = 2\n');
    expect(edit('; top of file\n[a]\nx = 1\n\n[b]\n', (d) => d.removeSection('a'))).to.equal('\n[b]\n');
  });

  it('removes a section without leaving two blank lines where there was one', () => {
    const text = '[a]\nx = 1\n\n[b]\ny = 2\n\n[c]\nz = 3\n';
    expect(edit(text, (d) => d.removeSection('b'))).to.equal('[a]\nx = 1\n\n[c]\nz = 3\n');
    expect(edit(text, (d) => d.removeSection('c'))).to.equal('[a]\nx = 1\n\n[b]\ny = 2\n');
    expect(edit(text, (d) => d.removeSection('a'))).to.equal('\n[b]\ny = 2\n\n[c]\nz = 3\n');
    expect(edit(text, (d) => expect(d.removeSection('zz')).to.equal(false))).to.equal(text);
  });

  it('adds sections at the end after one blank line, and options into them', () => {
    const document = parse(ADMIN_FILE);
    expect(document.addSection('pattern.new')).to.equal(true);
    expect(document.addSection('pattern.new')).to.equal(false);
    document.set('service.fresh', '_service', 'get');
    // New options copy the style of the nearest option above them (`ex2=123.*`).
    expect(document.toString()).to.equal(`${ADMIN_FILE}\n[pattern.new]\n\n[service.fresh]\n_service=get\n`);
    expect(edit('[a]\n', (d) => d.set('a', 'k', 'v'))).to.equal('[a]\nk = v\n');
  });

  it('leaves an unquoted file byte-identical when every option is set to its own value', () => {
    const text = ADMIN_FILE.split('\n')
      .filter((line) => !line.includes('"') && !line.includes("'"))
      .join('\n');
    const after = edit(text, (document) => {
      for (const section of document.sectionNames()) {
        for (const [key, value] of document.section(section) ?? []) document.set(section, key, value);
      }
    });
    expect(after).to.equal(text);
  });
});
