-- Counts an answer's estimate against each budget it falls under, unless one is spent already. KEYS: the counts;
-- ARGV, three for each key: the budget's limit, the estimate, how long the count is kept (ms).
-- Returns 0 when counted, else the position of the first spent budget among KEYS.
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[3 * i - 2]) then
    return i
  end
end
for i, key in ipairs(KEYS) do
  redis.call('INCRBY', key, ARGV[3 * i - 1])
  if redis.call('PTTL', key) < 0 then
    redis.call('PEXPIRE', key, ARGV[3 * i])
  end
end
return 0
