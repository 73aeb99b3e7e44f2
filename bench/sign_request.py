"""Prints a wrk Lua script that replays one SigV4-signed AWS API call.

Signed by botocore (what the aws CLI uses); a signature stays valid for 15 minutes, as in AWS.
Usage:
  python3 sign_request.py ENDPOINT KEY SECRET sts                  # STS GetCallerIdentity (query protocol)
  python3 sign_request.py ENDPOINT KEY SECRET token DOMAIN OWNER   # CodeArtifact GetAuthorizationToken (rest-json)
"""
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

endpoint, key, secret, kind = sys.argv[1:5]
if kind == "sts":
    service, body, path = "sts", "Action=GetCallerIdentity&Version=2011-06-15", "/"
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
elif kind == "token":
    domain, owner = sys.argv[5], sys.argv[6]
    service, body, path = "codeartifact", "", "/v1/authorization-token?domain=%s&domain-owner=%s" % (domain, owner)
    headers = {}
else:
    raise SystemExit("unknown request kind " + kind)
request = AWSRequest(method="POST", url=endpoint + path, data=body, headers=headers)
SigV4Auth(Credentials(key, secret), service, "us-east-1").add_auth(request)

print('wrk.method = "POST"')
print('wrk.path = "%s"' % path)
print('wrk.body = "%s"' % body)
for name, value in request.headers.items():
    if name.lower() != "host":
        print('wrk.headers["%s"] = "%s"' % (name, value if isinstance(value, str) else value.decode()))
print('''
done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f  p50: %.2f ms  p99: %.2f ms  non-2xx/3xx: %d  socket errors: %d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end''')
