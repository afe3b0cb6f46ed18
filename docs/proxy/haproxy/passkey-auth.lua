-- Passkey Auth forward auth for HAProxy 2.5 or newer, with HAProxy's own HTTP client
-- (core.httpclient) and nothing else. See docs/proxy/haproxy.md.
--
--   http-request lua.passkey-auth <host:port of Passkey Auth> <forward path and query>
--
-- Asks GET <forward path> on Passkey Auth with the visitor's Host, Cookie, Authorization and Accept headers.
-- 204: the request goes on to the app with the identity headers Passkey Auth sent, and without
-- Passkey Auth's session cookie (the app keeps its own cookies).
-- 401/403: the visitor gets Passkey Auth's answer (the sign-in or access-denied page) as it is.
-- Anything else, or no answer: 503. In every case the client's own Remote-* (and Remote_*) headers are dropped first.

-- The identity headers of a 204 answer, copied onto the request.
local IDENTITY_HEADERS = {
  "remote-user", "remote-name", "remote-org", "remote-org-name", "remote-role",
  "remote-role-name", "remote-groups", "remote-session-expires", "remote-credential",
  "remote-email", "remote-username",
}
-- Headers of a 401/403 answer passed on with its body.
local DENIAL_HEADERS = {
  "content-type", "cache-control", "content-security-policy", "x-frame-options", "referrer-policy",
}
-- Passkey Auth's session cookie: __Host-passkey-auth, or passkey-auth on localhost names.
local SESSION_COOKIES = { ["__Host-passkey-auth"] = true, ["passkey-auth"] = true }
-- Per attempt: HAProxy 2.6's HTTP client retries a GET three times, so a Passkey Auth that
-- accepts but never answers holds the request about 4 x 2 s before the 503.
local TIMEOUT_MS = 2000

-- All values of a request header (HAProxy numbers them from 0), or nil.
local function request_values(headers, name)
  local values = headers[name]
  if not values then return nil end
  local list = {}
  for i = 0, #values do
    if values[i] ~= nil then list[#list + 1] = values[i] end
  end
  return list
end

-- The cookies of the given Cookie header values, every session cookie left out, as one header value (or nil).
local function app_cookies(cookie_values)
  local kept = {}
  for _, value in ipairs(cookie_values) do
    for pair in string.gmatch(value, "[^;]+") do
      local cookie = string.match(pair, "^%s*(.-)%s*$")
      local name = string.match(cookie, "^([^=]*)=")
      if cookie ~= "" and not SESSION_COOKIES[name] then kept[#kept + 1] = cookie end
    end
  end
  if #kept == 0 then return nil end
  return table.concat(kept, "; ")
end

-- The first value of a response header from core.httpclient, or nil.
local function response_value(headers, name)
  local values = headers and headers[name]
  if not values then return nil end
  return values[0] or values[1]
end

local function passkey_auth(txn, auth_address, forward_path)
  local http = txn.http
  local headers = http:req_get_headers()

  -- Identity headers come from Passkey Auth only: drop every Remote-* header the client sent,
  -- and Remote_* too (CGI-style apps read Remote_User as REMOTE_USER).
  for name in pairs(headers) do
    local prefix = string.lower(string.sub(name, 1, 7))
    if prefix == "remote-" or prefix == "remote_" then http:req_del_header(name) end
  end

  local host = txn.sf:req_fhdr("host")
  local question = {
    ["host"] = { host },
    ["x-forwarded-host"] = { host },
    ["x-forwarded-method"] = { txn.sf:method() },
    ["x-forwarded-uri"] = { txn.sf:pathq() },
    ["x-forwarded-for"] = { txn.sf:src() },
  }
  local cookies = request_values(headers, "cookie")
  if cookies then question["cookie"] = { table.concat(cookies, "; ") } end
  local accept = request_values(headers, "accept")
  if accept then question["accept"] = { table.concat(accept, ", ") } end
  local authorization = request_values(headers, "authorization")
  if authorization then question["authorization"] = { authorization[1] } end

  local answer = core.httpclient():get{
    url = "http://" .. auth_address .. forward_path,
    headers = question,
    timeout = TIMEOUT_MS,
  }
  local status = answer and tonumber(answer.status)

  if status == 204 then
    for _, name in ipairs(IDENTITY_HEADERS) do
      local value = response_value(answer.headers, name)
      if value then http:req_set_header(name, value) end
    end
    -- The app never holds the session token: with it, it could act as the visitor anywhere, at any time.
    if cookies then
      http:req_del_header("cookie")
      local kept = app_cookies(cookies)
      if kept then http:req_set_header("cookie", kept) end
    end
    return act.CONTINUE
  end

  if status == 401 or status == 403 then
    local reply = txn:reply{ status = status, body = answer.body or "" }
    for _, name in ipairs(DENIAL_HEADERS) do
      local value = response_value(answer.headers, name)
      if value then reply:add_header(name, value) end
    end
    txn:done(reply)
    return act.DONE
  end

  txn:Warning("passkey-auth: unexpected answer from " .. auth_address .. forward_path .. ": " .. tostring(status))
  txn:done{
    status = 503,
    headers = { ["content-type"] = { "text/plain" }, ["cache-control"] = { "no-store" } },
    body = "Sign-in service unavailable\n",
  }
  return act.DONE
end

core.register_action("passkey-auth", { "http-req" }, passkey_auth, 2)
