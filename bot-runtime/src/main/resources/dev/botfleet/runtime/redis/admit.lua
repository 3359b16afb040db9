-- Admits one answer under a bot's limits, at once for every replica. KEYS[1] and KEYS[2]: the bot's and the user's
-- open answers, sorted sets of slots scored by when their lease ends (a replica that died without releasing its
-- slots frees them when their leases end); KEYS[3]: the user's bucket of queries per minute.
-- ARGV: the slot, the lease (ms), the most answers of the bot and of the user, queries per minute (0: no limit).
-- Returns 0 when admitted, else the limit that refuses: 1 the bot's answers, 2 the user's, 3 the user's rate.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local slot, lease = ARGV[1], tonumber(ARGV[2])
local most = {tonumber(ARGV[3]), tonumber(ARGV[4])}
for i = 1, 2 do
  if most[i] > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
    if redis.call('ZCARD', KEYS[i]) >= most[i] then
      return i
    end
  end
end
local perMinute = tonumber(ARGV[5])
if perMinute > 0 then
  -- A bucket of perMinute queries refilled continuously over a minute; a user unseen for a minute is forgotten.
  local bucket = redis.call('HMGET', KEYS[3], 'tokens', 'at')
  local tokens = perMinute
  if bucket[1] then
    tokens = math.min(perMinute, tonumber(bucket[1]) + (now - tonumber(bucket[2])) * perMinute / 60000)
  end
  if tokens < 1 then
    return 3
  end
  redis.call('HSET', KEYS[3], 'tokens', tostring(tokens - 1), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[3], 60000)
end
for i = 1, 2 do
  if most[i] > 0 then
    redis.call('ZADD', KEYS[i], tostring(now + lease), slot)
    redis.call('PEXPIRE', KEYS[i], lease)
  end
end
return 0
