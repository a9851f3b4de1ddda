-- Authenticated GETs for wrk: the session cookie and the paths come from the environment
-- (BENCH_COOKIE, BENCH_PATHS = a file with one path per line); each request takes the next path.
local cookie = os.getenv("BENCH_COOKIE") or ""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local i = 0

request = function()
  i = i + 1
  return wrk.format("GET", paths[(i - 1) % #paths + 1], { ["Cookie"] = cookie })
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"errors_status": %d, "errors_socket": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
