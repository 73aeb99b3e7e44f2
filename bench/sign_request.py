"""Prints a wrk Lua script that replays one SigV4-signed STS GetCallerIdentity call.

Signed by botocore (what the aws CLI uses); a signature stays valid for 15 minutes, as in AWS.
Usage: python3 sign_request.py ENDPOINT ACCESS_KEY SECRET > request.lua
"""
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

endpoint, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
body = "Action=GetCallerIdentity&Version=2011-06-15"
request = AWSRequest(method="POST", url=endpoint + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
SigV4Auth(Credentials(key, secret), "sts", "us-east-1").add_auth(request)

print('wrk.method = "POST"')
print('wrk.body = "%s"' % body)
for name, value in request.headers.items():
    if name.lower() != "host":
        print('wrk.headers["%s"] = "%s"' % (name, value if isinstance(value, str) else value.decode()))
print('''
local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f  p50: %.2f ms  p99: %.2f ms  non-2xx/3xx: %d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end''')
