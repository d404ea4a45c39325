-- Change a booking only if nobody changed it since it was read (its version), after checks,
-- then apply a list of writes; all atomically. Built only by BookingStore from its own plans.
-- KEYS  1 the booking (or any key when ARGV[1] is '-'), then the keys the plan refers to
-- ARGV  1 expected version, or '-' for no version check   2 the plan (JSON)
local plan = cjson.decode(ARGV[2])
if ARGV[1] ~= '-' then
  local version = redis.call('HGET', KEYS[1], 'version')
  if not version then return { 'ERR', 'MISSING', '' } end
  if version ~= ARGV[1] then return { 'ERR', 'STALE', version } end
end
for _, c in ipairs(plan.checks) do
  if c.op == 'free' then
    local held = overlapping(KEYS[c.k], tonumber(c.s), tonumber(c.e), tonumber(c.span))
    if held then return { 'ERR', 'TAKEN', c.label } end
  elseif c.op == 'pair' then
    local violation = pairViolation(KEYS[c.k], tonumber(c.s), tonumber(c.e), tonumber(c.dayStart), tonumber(c.dayEnd), tonumber(c.maxRun), tonumber(c.maxDay), c.except)
    if violation then return { 'ERR', violation, '' } end
  elseif c.op == 'member' then
    if not redis.call('ZSCORE', KEYS[c.k], c.m) then return { 'ERR', 'ABSENT', '' } end
  end
end
for _, w in ipairs(plan.writes) do
  local key = KEYS[w.k]
  if w.op == 'hset' then redis.call('HSET', key, unpack(w.a))
  elseif w.op == 'zadd' then redis.call('ZADD', key, w.s, w.m)
  elseif w.op == 'zrem' then redis.call('ZREM', key, w.m)
  elseif w.op == 'rpush' then redis.call('RPUSH', key, w.v)
  elseif w.op == 'xadd' then redis.call('XADD', key, '*', unpack(w.a))
  end
end
if ARGV[1] ~= '-' and plan.bump then redis.call('HSET', KEYS[1], 'version', tostring(tonumber(ARGV[1]) + 1)) end
return { 'OK' }
