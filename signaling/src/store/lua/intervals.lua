-- Shared by the booking scripts. Busy sets are sorted sets: score = start (epoch ms),
-- member = "<end>|<bookingId>". Times travel as decimal strings and are exact in Lua doubles.
local function fmt(n) return string.format('%d', n) end

local function endOf(member) return tonumber(string.match(member, '^(%d+)|')) end

-- The first member of `key` whose interval overlaps [s, e), or nil. `span` bounds how long any
-- held interval can be, so only a small score range is read.
local function overlapping(key, s, e, span)
  local items = redis.call('ZRANGEBYSCORE', key, fmt(s - span), '(' .. fmt(e))
  for _, m in ipairs(items) do
    local mend = endOf(m)
    if mend and mend > s then return m end
  end
  return nil
end

-- Per-pair limits (one lawyer, one detainee, one local day) if [s, e) were held too.
-- Entries equal to `except` are ignored (the booking's own interval when it is extended).
local function pairViolation(key, s, e, dayStart, dayEnd, maxRun, maxDay, except)
  local entries = redis.call('ZRANGEBYSCORE', key, fmt(dayStart), '(' .. fmt(dayEnd), 'WITHSCORES')
  local list = { { s, e } }
  for i = 1, #entries, 2 do
    if entries[i] ~= except then list[#list + 1] = { tonumber(entries[i + 1]), endOf(entries[i]) } end
  end
  table.sort(list, function(a, b) return a[1] < b[1] end)
  local total, runs = 0, {}
  for _, it in ipairs(list) do
    total = total + (it[2] - it[1])
    local last = runs[#runs]
    if last and it[1] <= last[2] then
      if it[2] > last[2] then last[2] = it[2] end
    else
      runs[#runs + 1] = { it[1], it[2] }
    end
  end
  for _, run in ipairs(runs) do
    if s >= run[1] and s < run[2] and run[2] - run[1] > maxRun then return 'CONSECUTIVE_LIMIT' end
  end
  if total > maxDay then return 'DAILY_LIMIT' end
  return nil
end
