"""Signs sample requests with botocore's real SigV4 signers and prints them as JSON.

Run by BotocoreSignedRequestsTest; the signing time is pinned to 2026-01-01T00:00:00Z.
"""
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

botocore.auth.get_current_datetime = lambda *args, **kwargs: datetime.datetime(2026, 1, 1, 0, 0, 0)

LONG_TERM = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
SESSION = Credentials(
    "ASIAIOSFODNN7EXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "FwoGZXIvYXdzEBYaDk1+ahs/Token+With/Base64==",
)


def sign(name, signer, request):
    signer.add_auth(request)
    prepared = request.prepare()
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return {
        "name": name,
        "method": prepared.method,
        "url": prepared.url,
        "headers": [[k, v] for k, v in prepared.headers.items()],
        "body": body.decode("utf-8"),
    }


def form_post(url, data, headers=None):
    all_headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    all_headers.update(headers or {})
    return AWSRequest(method="POST", url=url, data=data, headers=all_headers)


results = [
    sign(
        "header-signed STS GetCallerIdentity form POST",
        botocore.auth.SigV4Auth(LONG_TERM, "sts", "us-east-1"),
        form_post("https://sts.us-east-1.amazonaws.com/", "Action=GetCallerIdentity&Version=2011-06-15"),
    ),
    sign(
        "header-signed STS POST with a session token",
        botocore.auth.SigV4Auth(SESSION, "sts", "us-east-1"),
        form_post("http://127.0.0.1:8443/", "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fbuilder"
                  "&RoleSessionName=s%20p%20a%20c%20e&Version=2011-06-15"),
    ),
    sign(
        "header-signed CodeArtifact JSON POST with query parameters",
        botocore.auth.SigV4Auth(LONG_TERM, "codeartifact", "eu-west-1"),
        AWSRequest(
            method="POST",
            url="https://codeartifact.eu-west-1.amazonaws.com/v1/authorization-token",
            params={"domain": "my-domain", "domain-owner": "111122223333", "duration": "900"},
            data='{"a":  1}',
            headers={"Content-Type": "application/json"},
        ),
    ),
    sign(
        "header-signed GET with odd characters in path and query",
        botocore.auth.SigV4Auth(LONG_TERM, "codeartifact", "us-east-1"),
        AWSRequest(
            method="GET",
            url="https://localhost:9443/v1/package/%40scope%2Fname/readme%20file/a+b:c/%E2%9C%93/~t",
            params={"namespace": "@scope/ns", "package": "pkg+plus*star~tilde", "version": "1.0-\u00fc=\u00e9&x",
                    "empty": ""},
            headers={"X-Custom": "  spaced    value  "},
        ),
    ),
    sign(
        "presigned STS GetCallerIdentity as an EKS token",
        botocore.auth.SigV4QueryAuth(SESSION, "sts", "us-east-1", expires=60),
        AWSRequest(
            method="GET",
            url="https://sts.us-east-1.amazonaws.com/",
            params={"Action": "GetCallerIdentity", "Version": "2011-06-15"},
            headers={"x-k8s-aws-id": "my-cluster"},
        ),
    ),
    sign(
        "presigned form POST whose body moves into the query",
        botocore.auth.SigV4QueryAuth(LONG_TERM, "sts", "us-east-1", expires=900),
        form_post("https://sts.us-east-1.amazonaws.com/", {"Action": "GetCallerIdentity", "Version": "2011-06-15"}),
    ),
]
json.dump(results, sys.stdout)
