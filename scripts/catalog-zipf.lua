-- wrk script for the catalog service: GET /products/{id} with Zipf-distributed ids.
--   CATALOG_IDS          ids drawn from 1..N (default 1,000,000)
--   CATALOG_ZIPF         the exponent s (default 0.99; not 1)
--   CATALOG_RATE         requests/s over all connections (default 0: as fast as possible);
--                        each connection waits connections/rate seconds between requests,
--                        so both runs of a comparison get the same offered load
--   CATALOG_CONNECTIONS  must equal wrk's -c when CATALOG_RATE is set
local n = tonumber(os.getenv("CATALOG_IDS") or "1000000")
local s = tonumber(os.getenv("CATALOG_ZIPF") or "0.99")
local rate = tonumber(os.getenv("CATALOG_RATE") or "0")
local connections = tonumber(os.getenv("CATALOG_CONNECTIONS") or "32")

-- Each wrk thread has its own Lua state: seed each differently.
math.randomseed(os.time() + tonumber(string.match(tostring({}), "0x(%x+)"), 16) % 100000)

-- Inverse of the continuous power law's distribution: O(1) per draw, close to the discrete
-- Zipf law for large n.
local a = 1 - s
local top = n ^ a

request = function()
    local id = math.floor(((top - 1) * math.random() + 1) ^ (1 / a))
    if id < 1 then id = 1 elseif id > n then id = n end
    return wrk.format("GET", "/products/" .. id)
end

if rate > 0 then
    local wait = 1000 * connections / rate
    delay = function() return wait end
end
