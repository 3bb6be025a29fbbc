/**
 * The Lua scripts of the Redis resource store. Each runs atomically on the server, with the server's clock, so every
 * node of a cluster sees the same bookings and expiry. Keys (p = `<key_prefix>res:`):
 * `pool:<group>` sorted set of the group's numbers scored by "busy until" (epoch ms; a number whose score is in the
 * past is free, so an expired booking needs no clean-up to be free again); `r:<id>` the reservation (JSON, expires
 * with the booking); indexes `n:<number>`, `a:<number>:<ani>`, `s:<service>`, `g:<group>` (sorted sets of ids
 * scored by expiry), `c:<number>:<code>` and `h:<number>` (the code's and the locking holder's id).
 */
import { luaScript } from '../storage/redis-scripts.ts';

/** ARGV[1] is the key prefix; `now` is the server time in ms. */
const PRELUDE = `
local p = ARGV[1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

/** Books a number: ARGV group, number ('' = take the longest-free one, locking), id, ttl, service, data, ani, locking, codes... */
export const BOOK = luaScript(`${PRELUDE}
local group, number, id = ARGV[2], ARGV[3], ARGV[4]
local ttl = tonumber(ARGV[5])
local service, data, ani, locking = ARGV[6], ARGV[7], ARGV[8], ARGV[9] == '1'
local expires = now + ttl
local pool = p .. 'pool:' .. group
if locking then
  local free = redis.call('ZRANGEBYSCORE', pool, '-inf', now, 'LIMIT', 0, 1)
  if #free == 0 then
    local first = redis.call('ZRANGE', pool, 0, 0, 'WITHSCORES')
    if #first == 0 then return {'not-in-pool'} end
    return {'exhausted', tostring(tonumber(first[2]) - now)}
  end
  number = free[1]
elseif not redis.call('ZSCORE', pool, number) then
  return {'not-in-pool'}
end
local code = ''
if #ARGV >= 10 then
  for i = 10, #ARGV do
    if redis.call('SET', p .. 'c:' .. number .. ':' .. ARGV[i], id, 'NX', 'PX', ttl) then
      code = ARGV[i]
      break
    end
  end
  if code == '' then return {'codes-taken'} end
end
local record = cjson.encode({id = id, group = group, number = number, code = code, ani = ani, service = service,
  data = data, locking = locking, created = now, expires = expires})
redis.call('SET', p .. 'r:' .. id, record, 'PX', ttl)
redis.call('ZADD', pool, 'GT', expires, number)
-- An index key lives at least as long as its latest booking: PEXPIRE GT extends a TTL that is shorter, NX sets one
-- where there is none. A group's and a number's keys live on while bookings keep coming (they drop their ended
-- bookings) and mostly have a TTL already, so GT goes first; a service's and a caller's keys are mostly new, so NX
-- does. In the common case the first call is the only one.
local function index(key, lasting)
  if lasting then redis.call('ZREMRANGEBYSCORE', key, '-inf', now) end
  redis.call('ZADD', key, expires, id)
  local first, second = 'NX', 'GT'
  if lasting then first, second = 'GT', 'NX' end
  if redis.call('PEXPIRE', key, ttl, first) == 0 then redis.call('PEXPIRE', key, ttl, second) end
end
index(p .. 'g:' .. group, true)
index(p .. 'n:' .. number, true)
index(p .. 's:' .. service, false)
if ani ~= '' then index(p .. 'a:' .. number .. ':' .. ani, false) end
if locking then redis.call('SET', p .. 'h:' .. number, id, 'PX', ttl) end
return {'booked', record}`);

/** Releases live reservations: ARGV 'ids', id... or 'service', serviceId. Returns the records it released. */
export const RELEASE = luaScript(`${PRELUDE}
local ids = {}
if ARGV[2] == 'service' then
  ids = redis.call('ZRANGEBYSCORE', p .. 's:' .. ARGV[3], '(' .. now, '+inf')
else
  for i = 3, #ARGV do ids[#ids + 1] = ARGV[i] end
end
local function drop(key, id)
  if redis.call('GET', key) == id then redis.call('DEL', key) end
end
local released = {}
for _, id in ipairs(ids) do
  local raw = redis.call('GET', p .. 'r:' .. id)
  local r = raw and cjson.decode(raw)
  if r and r.expires > now then
    local n = r.number
    redis.call('DEL', p .. 'r:' .. id)
    if r.code ~= '' then drop(p .. 'c:' .. n .. ':' .. r.code, id) end
    if r.locking then drop(p .. 'h:' .. n, id) end
    if r.ani ~= '' then redis.call('ZREM', p .. 'a:' .. n .. ':' .. r.ani, id) end
    redis.call('ZREM', p .. 's:' .. r.service, id)
    redis.call('ZREM', p .. 'g:' .. r.group, id)
    local nk = p .. 'n:' .. n
    redis.call('ZREM', nk, id)
    redis.call('ZREMRANGEBYSCORE', nk, '-inf', now)
    local last = redis.call('ZRANGE', nk, -1, -1, 'WITHSCORES')
    local busy = 0
    if #last > 0 then busy = last[2] end
    redis.call('ZADD', p .. 'pool:' .. r.group, 'XX', busy, n)
    released[#released + 1] = raw
  end
end
return released`);

/** Live reservations a call could belong to: ARGV number, code, ani. Returns kind, record pairs. */
export const CANDIDATES = luaScript(`${PRELUDE}
local number, code, ani = ARGV[2], ARGV[3], ARGV[4]
local out = {}
local function add(kind, id)
  if not id then return end
  local raw = redis.call('GET', p .. 'r:' .. id)
  if not raw then return end
  local r = cjson.decode(raw)
  if r.expires > now and r.number == number then
    out[#out + 1] = kind
    out[#out + 1] = raw
  end
end
if code ~= '' then add('code', redis.call('GET', p .. 'c:' .. number .. ':' .. code)) end
if ani ~= '' then
  local key = p .. 'a:' .. number .. ':' .. ani
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', key, '(' .. now, '+inf', 'LIMIT', 0, 100)) do add('ani', id) end
end
add('holder', redis.call('GET', p .. 'h:' .. number))
return out`);

/** Counters and a page of live reservations: ARGV group, offset, limit. Returns total, available, reserved, records... */
export const STATE = luaScript(`${PRELUDE}
local pool = p .. 'pool:' .. ARGV[2]
local group = p .. 'g:' .. ARGV[2]
local out = {
  redis.call('ZCARD', pool),
  redis.call('ZCOUNT', pool, '-inf', now),
  redis.call('ZCOUNT', group, '(' .. now, '+inf'),
}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', group, '(' .. now, '+inf', 'LIMIT', ARGV[3], ARGV[4])) do
  local raw = redis.call('GET', p .. 'r:' .. id)
  if raw then out[#out + 1] = raw end
end
return out`);

/** Adds numbers to a pool, each scored by the end of its latest live booking: ARGV group, numbers... */
export const ADD_NUMBERS = luaScript(`${PRELUDE}
local pool = p .. 'pool:' .. ARGV[2]
for i = 3, #ARGV do
  local last = redis.call('ZRANGE', p .. 'n:' .. ARGV[i], -1, -1, 'WITHSCORES')
  local busy = 0
  if #last > 0 then busy = last[2] end
  redis.call('ZADD', pool, 'NX', busy, ARGV[i])
end
return #ARGV - 2`);

/** Live reservations holding any of the numbers: ARGV numbers... Returns their records. */
export const ON_NUMBERS = luaScript(`${PRELUDE}
local out = {}
for i = 2, #ARGV do
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. 'n:' .. ARGV[i], '(' .. now, '+inf')) do
    local raw = redis.call('GET', p .. 'r:' .. id)
    if raw then out[#out + 1] = raw end
  end
end
return out`);
