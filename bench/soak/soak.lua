-- The wrk script of bench/soak/soak.sh: a mix of reads and publishes over npm, PyPI and Maven.
-- Run with one connection per thread (wrk -tN -cN): each thread then has one request in flight, so
-- response() knows which request it answers, and pacing per thread is pacing per connection.
-- Settings come from the environment (soak.sh sets them):
--   SOAK_NPM, SOAK_PYPI, SOAK_MAVEN   the repository endpoints' paths (/…/npm/…/ and so on)
--   SOAK_TOKEN                        the authorization token (npm: Bearer; PyPI and Maven: Basic aws:<token>)
--   SOAK_PHASE                        a number, part of every published version (unique across runs)
--   SOAK_RATE                         requests/s over all threads; 0 or unset: as fast as the server answers
--   SOAK_THREADS                      the wrk thread (= connection) count, to split SOAK_RATE
--   SOAK_PUBLISH_PERCENT              % of requests that start a publish (default 2)
--   SOAK_PER_PACKAGE                  versions published into one package before the next (default 100)
--   SOAK_SEED_VERSIONS                versions of each seeded package (default 5)
-- Reads go to the seeded packages (soak-seed, dev.wharf.soak:seed), whose size never changes. A publish
-- is a new version of a package of this thread (soak-pub-p<phase>-t<thread>-b<batch>), built here: npm
-- a PUT of the packument with a gzip'd tarball (package.json of that version) in _attachments, PyPI a
-- twine-style multipart upload of a wheel of that version with its sha256_digest, Maven three PUTs (jar,
-- pom, maven-metadata.xml) on three consecutive requests of the thread. Digests come from the libcrypto wrk is linked
-- with, gzip and CRCs from zlib, both through LuaJIT's FFI.
-- done() prints "SOAK ..." lines that soak.sh reads: per kind the count, failures and mean and maximum
-- response time (ms, from request() to response()), wrk's socket errors,
-- per published package the number of versions that got a 2xx and the last of them, and per thread the
-- publish still unanswered when wrk stopped (the server may have stored it).
local ffi = require("ffi")
ffi.cdef [[
unsigned char *SHA256(const char *data, size_t length, unsigned char *digest);
unsigned char *SHA512(const char *data, size_t length, unsigned char *digest);
unsigned long crc32(unsigned long crc, const char *data, unsigned int length);
unsigned long compressBound(unsigned long length);
int compress2(unsigned char *target, unsigned long *targetLength, const char *source, unsigned long length, int level);
typedef struct { long seconds; long nanoseconds; } soak_timespec;
int clock_gettime(int clock, soak_timespec *time);
]]
local zlib = ffi.load("libz.so.1")
local bit = require("bit")

local function env(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then return default end
  return value
end

local phase = tonumber(env("SOAK_PHASE", "1"))
local rate = tonumber(env("SOAK_RATE", "0"))
local threads = tonumber(env("SOAK_THREADS", "1"))
local publish_share = tonumber(env("SOAK_PUBLISH_PERCENT", "2")) / 100
local per_package = tonumber(env("SOAK_PER_PACKAGE", "100"))
local token = env("SOAK_TOKEN", "")
local npm, pypi, maven = env("SOAK_NPM", "/"), env("SOAK_PYPI", "/"), env("SOAK_MAVEN", "/")

-- ---------------------------------------------------------------- bytes, digests, archives
local base64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(data)
  local out, n = {}, #data
  for i = 1, n, 3 do
    local a, b, c = data:byte(i, i + 2)
    local v = a * 65536 + (b or 0) * 256 + (c or 0)
    local s1, s2 = bit.rshift(v, 18) + 1, bit.band(bit.rshift(v, 12), 63) + 1
    local s3, s4 = bit.band(bit.rshift(v, 6), 63) + 1, bit.band(v, 63) + 1
    out[#out + 1] = base64_alphabet:sub(s1, s1) .. base64_alphabet:sub(s2, s2)
      .. (b and base64_alphabet:sub(s3, s3) or "=") .. (c and base64_alphabet:sub(s4, s4) or "=")
  end
  return table.concat(out)
end

local function hex(data)
  return (data:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local digest_buffer = ffi.new("unsigned char[64]")
local function sha256(data)
  ffi.C.SHA256(data, #data, digest_buffer)
  return ffi.string(digest_buffer, 32)
end
local function sha512(data)
  ffi.C.SHA512(data, #data, digest_buffer)
  return ffi.string(digest_buffer, 64)
end
local function crc32(data)
  return tonumber(zlib.crc32(0, data, #data))
end

local function le16(n) return string.char(n % 256, math.floor(n / 256) % 256) end
local function le32(n)
  return string.char(n % 256, math.floor(n / 256) % 256, math.floor(n / 65536) % 256, math.floor(n / 16777216) % 256)
end

-- gzip of data: zlib's compress2 output is a 2-byte header, raw deflate, a 4-byte Adler-32; gzip wants
-- its own 10-byte header, the same raw deflate, CRC-32 and length.
local function gzip(data)
  local bound = tonumber(zlib.compressBound(#data))
  local target = ffi.new("unsigned char[?]", bound)
  local length = ffi.new("unsigned long[1]", bound)
  assert(zlib.compress2(target, length, data, #data, 6) == 0, "compress2 failed")
  local deflated = ffi.string(target + 2, tonumber(length[0]) - 6)
  return "\31\139\8\0\0\0\0\0\0\255" .. deflated .. le32(crc32(data)) .. le32(#data % 4294967296)
end

local function zeros(n) return string.rep("\0", n) end
local function octal(n, width) return string.format("%0" .. (width - 1) .. "o", n) .. "\0" end

-- one ustar entry: a 512-byte header and the content padded to 512
local function tar_entry(name, content)
  local head = name .. zeros(100 - #name) .. octal(420, 8) .. octal(0, 8) .. octal(0, 8)
    .. octal(#content, 12) .. octal(1577836800, 12)
  local tail = "0" .. zeros(100) .. "ustar\0" .. "00" .. zeros(32 + 32) .. octal(0, 8) .. octal(0, 8) .. zeros(155 + 12)
  local sum = 8 * 32 -- the checksum field counts as eight spaces
  for _, part in ipairs({ head, tail }) do
    for i = 1, #part do sum = sum + part:byte(i) end
  end
  return head .. string.format("%06o", sum) .. "\0 " .. tail .. content .. zeros((512 - #content % 512) % 512)
end

-- a zip of stored (uncompressed) entries, { {name, content}, ... }
local function zip(entries)
  local body, central, offset = {}, {}, 0
  local dos_time, dos_date = 0, 20513 -- 2020-01-01 00:00
  for _, entry in ipairs(entries) do
    local name, content = entry[1], entry[2]
    local crc, size = crc32(content), #content
    local fields = le16(20) .. le16(0) .. le16(0) .. le16(dos_time) .. le16(dos_date) .. le32(crc) .. le32(size)
      .. le32(size) .. le16(#name) .. le16(0)
    local header = "PK\3\4" .. fields .. name
    body[#body + 1] = header .. content
    central[#central + 1] = "PK\1\2" .. le16(20) .. fields .. le16(0) .. le16(0) .. le16(0) .. le32(0)
      .. le32(offset) .. name
    offset = offset + #header + size
  end
  local directory = table.concat(central)
  return table.concat(body) .. directory .. "PK\5\6" .. le16(0) .. le16(0) .. le16(#entries) .. le16(#entries)
    .. le32(#directory) .. le32(offset) .. le16(0)
end

-- ---------------------------------------------------------------- requests
local bearer = "Bearer " .. token
local basic = "Basic " .. base64("aws:" .. token)

local function get(path, accept, authorization)
  return wrk.format("GET", path, { ["Authorization"] = authorization, ["Accept"] = accept })
end

local seeds = tonumber(env("SOAK_SEED_VERSIONS", "5"))
-- the reads, by weight: { kind, weight, requests (one per seeded version, or one) }
local reads = {}
local function read(kind, weight, make)
  local requests = {}
  for i = 1, seeds do requests[i] = make(i - 1) end
  reads[#reads + 1] = { kind = kind, weight = weight, requests = requests }
end

local function npm_publish(name, version)
  local package_json = '{"name":"' .. name .. '","version":"' .. version .. '","description":"Wharf soak","license":"MIT"}'
  local tarball = gzip(tar_entry("package/package.json", package_json)
    .. tar_entry("package/index.js", "module.exports = '" .. version .. "';\n") .. zeros(1024))
  local file = name .. "-" .. version .. ".tgz"
  local body = '{"_id":"' .. name .. '","name":"' .. name .. '","description":"Wharf soak","dist-tags":{"latest":"'
    .. version .. '"},"versions":{"' .. version .. '":{"name":"' .. name .. '","version":"' .. version
    .. '","description":"Wharf soak","license":"MIT","_id":"' .. name .. "@" .. version
    .. '","dist":{"integrity":"sha512-' .. base64(sha512(tarball)) .. '","tarball":"http://x/' .. name .. "/-/" .. file
    .. '"}}},"_attachments":{"' .. file .. '":{"content_type":"application/octet-stream","data":"' .. base64(tarball)
    .. '","length":' .. #tarball .. "}}}"
  return wrk.format("PUT", npm .. name, { ["Authorization"] = bearer,
    ["Content-Type"] = "application/json", ["npm-command"] = "publish" }, body)
end

local boundary = "wharfsoak0b5e7c1f"
local function pypi_publish(name, version)
  local dist = name:gsub("-", "_")
  local info = dist .. "-" .. version .. ".dist-info/"
  local metadata = "Metadata-Version: 2.1\nName: " .. name .. "\nVersion: " .. version
    .. "\nSummary: Wharf soak\nRequires-Python: >=3.8\n\nSoak package.\n"
  local wheel = zip({
    { dist .. "/__init__.py", "VERSION = '" .. version .. "'\n" },
    { info .. "METADATA", metadata },
    { info .. "WHEEL", "Wheel-Version: 1.0\nGenerator: wharf-soak\nRoot-Is-Purelib: true\nTag: py3-none-any\n" },
    { info .. "RECORD", "" },
  })
  local fields = { { ":action", "file_upload" }, { "protocol_version", "1" }, { "name", name },
    { "version", version }, { "filetype", "bdist_wheel" }, { "pyversion", "py3" }, { "metadata_version", "2.1" },
    { "sha256_digest", hex(sha256(wheel)) } }
  local parts = {}
  for _, field in ipairs(fields) do
    parts[#parts + 1] = "--" .. boundary .. '\r\nContent-Disposition: form-data; name="' .. field[1] .. '"\r\n\r\n'
      .. field[2] .. "\r\n"
  end
  parts[#parts + 1] = "--" .. boundary .. '\r\nContent-Disposition: form-data; name="content"; filename="' .. dist
    .. "-" .. version .. '-py3-none-any.whl"\r\nContent-Type: application/octet-stream\r\n\r\n' .. wheel
    .. "\r\n--" .. boundary .. "--\r\n"
  return wrk.format("POST", pypi, { ["Authorization"] = basic,
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }, table.concat(parts))
end

local group = "dev/wharf/soak/"
local function maven_put(path, content_type, body)
  return wrk.format("PUT", maven .. path, { ["Authorization"] = basic, ["Content-Type"] = content_type }, body)
end
-- the three requests of a Maven deploy of one version, in order
local function maven_publish(artifact, version)
  local base = group .. artifact .. "/" .. version .. "/" .. artifact .. "-" .. version
  local pom = '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">'
    .. "<modelVersion>4.0.0</modelVersion><groupId>dev.wharf.soak</groupId><artifactId>" .. artifact
    .. "</artifactId><version>" .. version .. "</version><packaging>jar</packaging>"
    .. "<description>Wharf soak</description></project>\n"
  local jar = zip({ { "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Version: " .. version .. "\n" } })
  local metadata = "<metadata><groupId>dev.wharf.soak</groupId><artifactId>" .. artifact .. "</artifactId>"
    .. "<versioning><latest>" .. version .. "</latest><release>" .. version .. "</release><versions><version>"
    .. version .. "</version></versions></versioning></metadata>\n"
  return {
    maven_put(base .. ".jar", "application/java-archive", jar),
    maven_put(base .. ".pom", "application/xml", pom),
    maven_put(group .. artifact .. "/maven-metadata.xml", "application/xml", metadata),
  }
end

-- ---------------------------------------------------------------- wrk's hooks
local created = 0
local workers = {}
function setup(thread)
  created = created + 1
  thread:set("thread_id", created)
  workers[#workers + 1] = thread
end

-- per kind: requests answered, not 2xx/3xx, the sum and the maximum of the response times (ms)
local counts, failures, milliseconds, slowest = {}, {}, {}, {}
-- per published package ("npm soak-pub-…"): versions answered 2xx, the last of them
local published, last_version = {}, {}
local failure_samples = {}  -- the first few failures' kind, status and body
local unanswered = false    -- the publish in flight ("<format> <package> <version>"): wrk may stop first
local total_weight = 0
local queue = {}            -- requests that must follow (the rest of a Maven deploy)
-- the request in flight: kind; for publishes target (as in unanswered); for the request that completes
-- a version key and version; for the jar and POM of a Maven deploy deploy
local current
local deploy_ok             -- whether the Maven deploy under way has had only 2xx so far
local sent_at, interval, due
local sequence = { npm = 0, pypi = 0, maven = 0 }
local formats = { "npm", "pypi", "maven" }
local next_format = 1

local timespec = ffi.new("soak_timespec")
local function monotonic() -- seconds, CLOCK_MONOTONIC
  ffi.C.clock_gettime(1, timespec)
  return tonumber(timespec.seconds) + tonumber(timespec.nanoseconds) / 1e9
end

function init(args)
  math.randomseed(thread_id * 7919 + phase * 104729)
  next_format = 1 + thread_id % 3
  -- the digests and archives must be right, or every publish fails: check them on known values
  assert(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA256 via FFI")
  assert(base64(sha512("abc")):sub(1, 12) == "3a81oZNherrM", "SHA512 via FFI")
  assert(crc32("123456789") == 0xCBF43926, "crc32 via FFI")
  read("npm-packument", 15, function(i) return get(npm .. "soak-seed", "application/json", bearer) end)
  read("npm-abbreviated", 15, function(i)
    return get(npm .. "soak-seed", "application/vnd.npm.install-v1+json", bearer)
  end)
  read("npm-tarball", 10, function(i)
    return get(npm .. "soak-seed/-/soak-seed-0.1." .. i .. ".tgz", "*/*", bearer)
  end)
  read("pypi-simple-html", 10, function(i) return get(pypi .. "simple/soak-seed/", "text/html", basic) end)
  read("pypi-simple-json", 10, function(i)
    return get(pypi .. "simple/soak-seed/", "application/vnd.pypi.simple.v1+json", basic)
  end)
  read("pypi-file", 10, function(i)
    return get(pypi .. "simple/soak-seed/soak_seed-1.0." .. i .. "-py3-none-any.whl", "*/*", basic)
  end)
  read("maven-jar", 10, function(i)
    return get(maven .. group .. "seed/0.1." .. i .. "/seed-0.1." .. i .. ".jar", "*/*", basic)
  end)
  read("maven-pom", 8, function(i)
    return get(maven .. group .. "seed/0.1." .. i .. "/seed-0.1." .. i .. ".pom", "*/*", basic)
  end)
  read("maven-metadata", 8, function(i) return get(maven .. group .. "seed/maven-metadata.xml", "*/*", basic) end)
  for _, r in ipairs(reads) do total_weight = total_weight + r.weight end
  if rate > 0 then
    interval = threads / rate
    due = monotonic() + math.random() * interval -- spread the threads' first requests
  end
end

local function publish()
  local format = formats[next_format]
  next_format = next_format % 3 + 1
  local n = sequence[format]
  sequence[format] = n + 1
  local version = phase .. "." .. thread_id .. "." .. n
  local batch = "p" .. phase .. "-t" .. thread_id .. "-b" .. math.floor(n / per_package)
  if format == "npm" then
    local name = "soak-pub-" .. batch
    current = { kind = "npm-publish", key = "npm " .. name, version = version, target = "npm " .. name .. " " .. version }
    return npm_publish(name, version)
  elseif format == "pypi" then
    local name = "soak-pub-" .. batch
    current = { kind = "pypi-publish", key = "pypi " .. name, version = version,
      target = "pypi " .. name .. " " .. version }
    return pypi_publish(name, version)
  end
  local artifact = "pub-" .. batch
  local requests = maven_publish(artifact, version)
  local key = "maven " .. artifact
  local target = key .. " " .. version
  -- Wharf publishes the version once it has the jar and the POM: it counts as published when both
  -- answered 2xx (the maven-metadata.xml PUT after them can still fail, as an error of its own)
  queue[#queue + 1] = { kind = "maven-publish-pom", request = requests[2], deploy = key, target = target,
    key = key, version = version }
  queue[#queue + 1] = { kind = "maven-publish-metadata", request = requests[3] }
  deploy_ok = true
  current = { kind = "maven-publish-jar", deploy = key, target = target }
  return requests[1]
end

local function next_request()
  if #queue > 0 then
    current = table.remove(queue, 1)
    return current.request
  end
  if math.random() < publish_share then
    return publish()
  end
  local pick = math.random() * total_weight
  for i, r in ipairs(reads) do
    pick = pick - r.weight
    if pick <= 0 or i == #reads then
      current = { kind = r.kind }
      return r.requests[math.random(#r.requests)]
    end
  end
end

function request()
  local next = next_request()
  unanswered = current.target or false
  sent_at = monotonic()
  return next
end

function response(status, headers, body)
  unanswered = false
  local kind = current.kind
  local took = (monotonic() - sent_at) * 1000
  counts[kind] = (counts[kind] or 0) + 1
  milliseconds[kind] = (milliseconds[kind] or 0) + took
  slowest[kind] = math.max(slowest[kind] or 0, took)
  local ok = status >= 200 and status < 400
  if not ok then
    failures[kind] = (failures[kind] or 0) + 1
    if #failure_samples < 5 then
      failure_samples[#failure_samples + 1] = kind .. " " .. status .. " " .. body:sub(1, 200):gsub("%s+", " ")
    end
  end
  if current.deploy then
    deploy_ok = deploy_ok and ok
  end
  if current.key and ok and (current.deploy == nil or deploy_ok) then
    published[current.key] = (published[current.key] or 0) + 1
    last_version[current.key] = current.version
  end
end

if rate > 0 then
  -- Pacing: the k-th request of a thread is due at start + k * interval, whatever the latency, so the
  -- achieved rate reaches the target unless the server is slower; at most 1 s of backlog is caught up.
  function delay()
    local now = monotonic()
    if now - due > 1 then due = now - 1 end
    local wait = due - now
    due = due + interval
    if wait <= 0 then return 0 end
    return math.floor(wait * 1000 + 0.5)
  end
end

-- A thread's results as one string, made when done() asks for the global "report". thread:get() of a
-- table is unreliable in wrk 4.1 (script_copy_value pops the table and script_thread_get pops again;
-- wrk2 PR #57 shows keys and values swapped): here it lost entries and crashed wrk. A string copies
-- cleanly, and __index on the globals makes it only when asked, after the thread has stopped.
setmetatable(_G, { __index = function(_, name)
  if name ~= "report" then return nil end
  local lines = {}
  for kind, n in pairs(counts) do
    lines[#lines + 1] = table.concat({ "kind", kind, n, failures[kind] or 0, milliseconds[kind], slowest[kind] }, "\t")
  end
  for key, n in pairs(published) do
    lines[#lines + 1] = table.concat({ "published", key, n, last_version[key] }, "\t")
  end
  for _, sample in ipairs(failure_samples) do lines[#lines + 1] = "failure\t" .. sample end
  if unanswered then lines[#lines + 1] = "unanswered\t" .. unanswered end
  return table.concat(lines, "\n")
end })

function done(summary, latency, requests)
  local all_counts, all_failures, all_published, all_last, samples, all_ms, all_max = {}, {}, {}, {}, {}, {}, {}
  for _, thread in ipairs(workers) do
    for line in (thread:get("report") .. "\n"):gmatch("([^\n]+)\n") do
      local f = {}
      for field in line:gmatch("[^\t]+") do f[#f + 1] = field end
      if f[1] == "kind" then
        local k = f[2]
        all_counts[k] = (all_counts[k] or 0) + tonumber(f[3])
        all_failures[k] = (all_failures[k] or 0) + tonumber(f[4])
        all_ms[k] = (all_ms[k] or 0) + tonumber(f[5])
        all_max[k] = math.max(all_max[k] or 0, tonumber(f[6]))
      elseif f[1] == "published" then
        all_published[f[2]] = (all_published[f[2]] or 0) + tonumber(f[3])
        all_last[f[2]] = f[4]
      elseif f[1] == "failure" then
        samples[#samples + 1] = f[2]
      elseif f[1] == "unanswered" then
        io.write("SOAK unanswered " .. f[2] .. "\n")
      end
    end
  end
  local e = summary.errors
  io.write(string.format("SOAK summary requests %d seconds %.3f\n", summary.requests, summary.duration / 1e6))
  io.write(string.format("SOAK socket connect %d read %d write %d timeout %d status %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("SOAK latency p50 %.1f p99 %.1f max %.1f ms\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  for kind, n in pairs(all_counts) do
    io.write(string.format("SOAK kind %s %d %d %.2f %.1f\n", kind, n, all_failures[kind] or 0, all_ms[kind] / n,
      all_max[kind]))
  end
  for key, n in pairs(all_published) do
    io.write(string.format("SOAK published %s %d %s\n", key, n, all_last[key]))
  end
  for _, sample in ipairs(samples) do io.write("SOAK failure " .. sample .. "\n") end
end
