-- Corrects an answer's counts from its estimate to what it used. KEYS: the counts; ARGV, two for each key: the
-- correction, and how long a count is kept (ms) should it have expired since the answer began.
-- Returns the counts after the correction, in the order of KEYS.
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCRBY', key, ARGV[2 * i - 1])
  if redis.call('PTTL', key) < 0 then
    redis.call('PEXPIRE', key, ARGV[2 * i])
  end
end
return counts
