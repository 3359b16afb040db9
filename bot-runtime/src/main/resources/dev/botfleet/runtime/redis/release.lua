-- Ends an answer's hold on its bot's and its user's open answers (KEYS); ARGV[1]: its slot.
for _, key in ipairs(KEYS) do
  redis.call('ZREM', key, ARGV[1])
end
return 0
