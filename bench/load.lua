-- The GET mix of the load test (bench/load.py), for wrk with one connection per thread.
--
-- Every request picks a path at random, weighted, from the file load.py writes (argument 1;
-- one "kind<TAB>weight<TAB>path" a line). With one connection per thread, request() and
-- response() alternate, so each response is timed and counted for its request's kind.
-- done() prints the 95th percentile of all requests like percentiles.lua, and one line per
-- kind: "kind<TAB>name<TAB>answered<TAB>errors<TAB>p50_us<TAB>p95_us<TAB>p99_us", where
-- errors are answers outside 2xx/3xx, and "resent<TAB>count": requests wrk asked for
-- again before an answer came. That happens after a socket error (which wrk counts), when
-- the server closed the connection without answering (which wrk does not count; gunicorn
-- logs why) and, rarely, when a write had to wait for a new connection (no error at all);
-- the same path is sent again, so the kinds stay right.
local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clock_id, load_timespec *tp);
]])
local clock = ffi.new("load_timespec")
local CLOCK_MONOTONIC = 1

local function now_us()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
    return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_nsec) / 1000
end

-- main state: the threads, for done()
local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("thread_number", #threads)
end

-- thread states: the mix, and what done() collects through thread:get(), which copies
-- only flat tables (nested ones crash wrk 4.1): each answer's latency and kind, in order
local kinds, paths, cumulative, total = {}, {}, {}, 0
local current, started, waiting, checking = nil, 0, false, false
latency_us, latency_kind, errors, resent = {}, {}, {}, 0

function init(args)
    for line in io.lines(args[1]) do
        local kind, weight, path = line:match("^([^\t]+)\t([%d.]+)\t(.+)$")
        if kind then
            total = total + tonumber(weight)
            table.insert(kinds, kind)
            table.insert(paths, path)
            table.insert(cumulative, total)
            errors[kind] = 0
        end
    end
    math.randomseed(os.time() * 100 + (thread_number or 0))
    -- wrk calls the first thread's request() once before the run, to check the script
    checking = thread_number == 1
end

function request()
    if checking then
        checking = false
        return wrk.format("GET", paths[1])
    end
    if waiting then
        resent = resent + 1
    else
        local pick = math.random() * total
        local low, high = 1, #cumulative
        while low < high do
            local middle = math.floor((low + high) / 2)
            if cumulative[middle] < pick then
                low = middle + 1
            else
                high = middle
            end
        end
        current, waiting = low, true
    end
    started = now_us()
    return wrk.format("GET", paths[current])
end

function response(status, headers, body)
    if not waiting then
        return
    end
    waiting = false
    table.insert(latency_us, now_us() - started)
    table.insert(latency_kind, kinds[current])
    if status < 200 or status > 399 then
        errors[kinds[current]] = errors[kinds[current]] + 1
    end
end

local function percentile(sorted, p)
    if #sorted == 0 then
        return 0
    end
    return sorted[math.max(1, math.ceil(#sorted * p / 100))]
end

function done(summary, latency, requests)
    io.write(string.format("p95_us=%d\n", latency:percentile(95)))
    local merged, error_counts, resent_count = {}, {}, 0
    for _, thread in ipairs(threads) do
        local thread_kinds = thread:get("latency_kind")
        for index, value in ipairs(thread:get("latency_us")) do
            local kind = thread_kinds[index]
            merged[kind] = merged[kind] or {}
            table.insert(merged[kind], value)
        end
        for kind, count in pairs(thread:get("errors")) do
            merged[kind] = merged[kind] or {}
            error_counts[kind] = (error_counts[kind] or 0) + count
        end
        resent_count = resent_count + thread:get("resent")
    end
    for kind, list in pairs(merged) do
        table.sort(list)
        io.write(string.format(
            "kind\t%s\t%d\t%d\t%d\t%d\t%d\n",
            kind, #list, error_counts[kind],
            percentile(list, 50), percentile(list, 95), percentile(list, 99)
        ))
    end
    io.write(string.format("resent\t%d\n", resent_count))
end
