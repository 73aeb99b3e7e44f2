#!/usr/bin/env python3
"""A local OpenID Connect issuer over HTTPS for benchmarks: a self-signed certificate for 127.0.0.1,
the discovery document and a JWKS with one RSA key; writes a signed RS256 token and the
certificate's SHA-1 thumbprint into a directory, then serves until killed.

    issuer.py PORT DIR SUBJECT AUDIENCE
"""
import base64, datetime, hashlib, http.server, ipaddress, json, os, ssl, sys, time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

port, directory, subject, audience = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
issuer = f"https://127.0.0.1:{port}"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def integer(n: int) -> str:
    return b64(n.to_bytes((n.bit_length() + 7) // 8, "big"))


tls_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
now = datetime.datetime.now(datetime.timezone.utc)
certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(tls_key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
               .sign(tls_key, hashes.SHA256()))
with open(os.path.join(directory, "issuer.pem"), "wb") as out:
    out.write(certificate.public_bytes(serialization.Encoding.PEM))
    out.write(tls_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
with open(os.path.join(directory, "thumbprint"), "w") as out:
    out.write(hashlib.sha1(certificate.public_bytes(serialization.Encoding.DER)).hexdigest())

signing = rsa.generate_private_key(public_exponent=65537, key_size=2048)
numbers = signing.public_key().public_numbers()
jwks = json.dumps({"keys": [{"kty": "RSA", "kid": "bench-1", "use": "sig", "alg": "RS256",
                             "n": integer(numbers.n), "e": integer(numbers.e)}]}).encode()
discovery = json.dumps({"issuer": issuer, "jwks_uri": issuer + "/jwks", "response_types_supported": ["id_token"],
                        "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"]}).encode()
header = b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "bench-1"}).encode())
claims = b64(json.dumps({"iss": issuer, "sub": subject, "aud": audience, "iat": int(time.time()) - 60,
                         "exp": int(time.time()) + 3600}).encode())
signature = signing.sign(f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())
with open(os.path.join(directory, "token"), "w") as out:
    out.write(f"{header}.{claims}.{b64(signature)}")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = {"/.well-known/openid-configuration": discovery, "/jwks": jwks}.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.path.join(directory, "issuer.pem"))
server.socket = context.wrap_socket(server.socket, server_side=True)
open(os.path.join(directory, "ready"), "w").close()
server.serve_forever()
