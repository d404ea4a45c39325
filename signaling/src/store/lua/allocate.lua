-- Book one slot: one free seat at the station AND one free booth at the detainee's center, with
-- the lawyer's and the detainee's time and the per-pair limits, all in one atomic step.
-- KEYS  1 booking  2 history  3 lawyer busy  4 detainee busy  5 pair  6 no-shows
--       7 by lawyer  8 by station  9 by center  10 by start  11 deadlines  12 reminders
--       13 audit  14 outbox  15 unprojected  16 notice  17 booking's notices  18 pending notices
--       19 .. 18+#seats: candidate seats' busy sets, then the candidate booths' busy sets
-- ARGV  1 the request (JSON, see BookingStore.allocate)
local r = cjson.decode(ARGV[1])
local s, e, span = tonumber(r.start), tonumber(r.stop), tonumber(r.span)

if redis.call('EXISTS', KEYS[1]) == 1 then return { 'ERR', 'DUPLICATE', '' } end

local limit = tonumber(r.noShowLimit)
local times = redis.call('ZRANGEBYSCORE', KEYS[6], '(' .. r.noShowSince, '+inf', 'WITHSCORES')
local count = #times / 2
if count >= limit then return { 'ERR', 'LAWYER_SUSPENDED', times[(count - limit) * 2 + 2] } end

local held = overlapping(KEYS[3], s, e, span)
if held then return { 'ERR', 'LAWYER_BUSY', held } end
held = overlapping(KEYS[4], s, e, span)
if held then return { 'ERR', 'DETAINEE_BUSY', held } end

local violation = pairViolation(KEYS[5], s, e, tonumber(r.dayStart), tonumber(r.dayEnd), tonumber(r.maxRun), tonumber(r.maxDay), nil)
if violation then return { 'ERR', violation, '' } end

local seat, booth
for i, id in ipairs(r.seats) do
  if not overlapping(KEYS[18 + i], s, e, span) then seat = i break end
end
if not seat then return { 'ERR', 'SLOT_TAKEN', 'seat' } end
local boothBase = 18 + #r.seats
for i, id in ipairs(r.booths) do
  if not overlapping(KEYS[boothBase + i], s, e, span) then booth = i break end
end
if not booth then return { 'ERR', 'SLOT_TAKEN', 'booth' } end

local seatId, boothId = r.seats[seat], r.booths[booth]
local member = r.stop .. '|' .. r.id
redis.call('HSET', KEYS[1], 'seatId', cjson.encode(seatId), 'boothId', cjson.encode(boothId), unpack(r.fields))
redis.call('RPUSH', KEYS[2], r.history)
for _, k in ipairs({ 3, 4, 5, 18 + seat, boothBase + booth }) do redis.call('ZADD', KEYS[k], r.start, member) end
for k = 7, 10 do redis.call('ZADD', KEYS[k], r.start, r.id) end
redis.call('ZADD', KEYS[11], r.deadline, r.id)
if r.reminderAt ~= '' then redis.call('ZADD', KEYS[12], r.reminderAt, r.id) end
redis.call('XADD', KEYS[13], '*', 'seatId', seatId, 'boothId', boothId, unpack(r.audit))
redis.call('HSET', KEYS[16], unpack(r.notice))
redis.call('XADD', KEYS[14], '*', 'noticeId', r.noticeId)
redis.call('RPUSH', KEYS[17], r.noticeId)
redis.call('ZADD', KEYS[18], r.now, r.noticeId)
redis.call('ZADD', KEYS[15], r.now, r.id)
return { 'OK', seatId, boothId }
