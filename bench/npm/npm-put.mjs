#!/usr/bin/env node
// Publishes generated tarballs the way `npm publish` does (one PUT {registry}{escaped name} with
// the packument and the tarball base64 in `_attachments`), without starting npm per version:
// the npm benchmark uses it for the 1,000-version package and the 200 MB tarball (issue 4).
//   node bench/npm/npm-put.mjs REGISTRY_URL TOKEN < list.tsv
// Each stdin line: name<TAB>version<TAB>tarball path[<TAB>dist-tag, default latest]. The body is
// streamed (base64 written chunk by chunk), so a 200 MB tarball never sits in memory here.
// Prints "published N, already M, failed K" and exits 1 when any failed; 409 and 403 "cannot
// publish over" count as already published. Requests go one at a time on a keep-alive connection.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import readline from 'node:readline';

const [registryArg, token] = process.argv.slice(2);
if (!registryArg || !token) {
  console.error('usage: node npm-put.mjs REGISTRY_URL TOKEN < name\\tversion\\tfile[\\ttag] lines');
  process.exit(2);
}
const registry = registryArg.endsWith('/') ? registryArg : registryArg + '/';
const base = new URL(registry);
const client = base.protocol === 'https:' ? https : http;
const agent = new client.Agent({ keepAlive: true, maxSockets: 1 });

async function digests(file) {
  const sha1 = crypto.createHash('sha1'), sha512 = crypto.createHash('sha512');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    sha1.update(chunk); sha512.update(chunk);
  }
  return { shasum: sha1.digest('hex'), integrity: 'sha512-' + sha512.digest('base64') };
}

async function publish(name, version, file, tag) {
  const size = fs.statSync(file).size;
  const { shasum, integrity } = await digests(file);
  const escaped = name.startsWith('@') ? name.replace('/', '%2f') : name;
  const attachment = `${name}-${version}.tgz`;
  const manifest = {
    name, version, description: `Wharf npm benchmark package ${name}`, license: 'MIT',
    _id: `${name}@${version}`,
    dist: { shasum, integrity, tarball: `${registry.replace(/^https:/, 'http:')}${name}/-/${attachment}` },
  };
  const head = { _id: name, name, description: manifest.description,
    'dist-tags': { [tag]: version }, versions: { [version]: manifest }, access: null };
  // {...head, "_attachments": {attachment: {content_type, length, data: "<base64>"}}}
  const prefix = Buffer.from(JSON.stringify(head).slice(0, -1) + ',"_attachments":' +
    JSON.stringify({ [attachment]: { content_type: 'application/octet-stream', length: size, data: '' } }).slice(0, -3));
  const suffix = Buffer.from('"}}}');
  const length = prefix.length + 4 * Math.ceil(size / 3) + suffix.length;
  const url = new URL(escaped, registry);
  return await new Promise((resolve, reject) => {
    const req = client.request(url, { method: 'PUT', agent, headers: {
      'content-type': 'application/json', 'content-length': length, accept: '*/*',
      authorization: `Bearer ${token}`, 'npm-command': 'publish' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { if (body.length < 4096) body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    (async () => {
      req.write(prefix);
      let carry = Buffer.alloc(0);
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 3 << 18 })) {
        const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const whole = data.length - (data.length % 3);
        carry = Buffer.from(data.subarray(whole));
        if (whole > 0 && !req.write(data.subarray(0, whole).toString('base64'))) {
          await new Promise((r) => req.once('drain', r));
        }
      }
      if (carry.length) req.write(carry.toString('base64'));
      req.end(suffix);
    })().catch(reject);
  });
}

let published = 0, already = 0, failed = 0;
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const [name, version, file, tag = 'latest'] = line.split('\t');
  try {
    const { status, body } = await publish(name, version, file, tag);
    if (status >= 200 && status < 300) published++;
    else if (status === 409 || (status === 403 && /previously published|already|cannot publish over/i.test(body))) already++;
    else { failed++; console.error(`${name}@${version}: HTTP ${status} ${body.slice(0, 300)}`); }
  } catch (e) {
    failed++; console.error(`${name}@${version}: ${e.message}`);
  }
  if (failed >= 5) { console.error('giving up after 5 failures'); break; }
}
agent.destroy();
console.log(`published ${published}, already ${already}, failed ${failed}`);
process.exit(failed ? 1 : 0);
