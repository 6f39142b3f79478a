// Encodes and decodes the BR Codes of bench/pix-payloads with the npm
// libraries pix-utils and @brazilian-utils/brazilian-utils: first checks
// that they agree with concilia on every code (same text from the same
// inputs, the same fields read back), then measures each call (best of
// REPEAT, wall clock, one thread) and prints the rates beside concilia's.
// Run by bench/pix-compare.sh, which installs the libraries in MODULES_DIR.
// usage: node pix-compare.mjs CODES.tsv MODULES_DIR CONCILIA_ENCODE_RATE CONCILIA_DECODE_RATE [REPEAT]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [tsv, modules, cEnc, cDec, repeatArg] = process.argv.slice(2);
if (!cDec) {
	console.error('usage: node pix-compare.mjs CODES.tsv MODULES_DIR ENCODE_RATE DECODE_RATE [REPEAT]');
	process.exit(2);
}
const repeat = Number(repeatArg || 3);
const require = createRequire(join(modules, 'package.json'));
const version = (name) => require(`${name}/package.json`).version;

const codes = readFileSync(tsv, 'utf8')
	.split('\n')
	.filter((l) => l)
	.map((l) => {
		const [key, name, city, txid, cents, payload] = l.split('\t');
		return { key, name, city, txid, cents: Number(cents), payload };
	});
const n = codes.length;

// Each timed run makes at least this many calls (over the set as often as
// needed); the agreement pass before it is the JIT's warm-up.
const passes = Math.ceil(300000 / n);
const timed = (fn) => {
	let best = Infinity;
	let sink = 0;
	for (let r = 0; r < repeat; r++) {
		const t = performance.now();
		for (let k = 0; k < passes; k++) for (let i = 0; i < n; i++) sink += fn(i);
		const s = (performance.now() - t) / 1000;
		if (s < best) best = s;
	}
	return { rate: (passes * n) / best, sink };
};

// Disagreements, counted per check with the first few examples.
const problems = new Map();
const disagree = (what, i, detail) => {
	const p = problems.get(what) || { count: 0, examples: [] };
	p.count++;
	if (p.examples.length < 3) p.examples.push(`code ${i + 1}: ${detail}`);
	problems.set(what, p);
};
const same = (what, i, field, got, want) => {
	if (got !== want) disagree(what, i, `${field} ${JSON.stringify(got)}, concilia ${JSON.stringify(want)}`);
};

const rows = []; // [library, operation, rate, concilia rate]

// ---- pix-utils: createStaticPix(...).toBRCode(), parsePix ----
try {
	const pu = require('pix-utils');
	const lib = `pix-utils ${version('pix-utils')}`;
	const input = codes.map((c) => ({
		merchantName: c.name,
		merchantCity: c.city,
		pixKey: c.key,
		txid: c.txid || undefined,
		transactionAmount: c.cents / 100,
	}));
	codes.forEach((c, i) => {
		const o = pu.createStaticPix(input[i]);
		if (pu.hasError(o)) disagree(`${lib} encode refused`, i, o.message);
		else same(`${lib} encode: text differs`, i, 'payload', o.toBRCode(), c.payload);
		const d = pu.parsePix(c.payload);
		if (pu.hasError(d)) return disagree(`${lib} parsePix refused`, i, d.message);
		same(`${lib} parsePix: field differs`, i, 'key', d.pixKey, c.key);
		same(`${lib} parsePix: field differs`, i, 'name', d.merchantName, c.name);
		same(`${lib} parsePix: field differs`, i, 'city', d.merchantCity, c.city);
		same(`${lib} parsePix: field differs`, i, 'txid', d.txid, c.txid || '***');
		same(`${lib} parsePix: field differs`, i, 'amount', Math.round(d.transactionAmount * 100), c.cents);
	});
	rows.push([lib, 'encode: createStaticPix().toBRCode()', timed((i) => pu.createStaticPix(input[i]).toBRCode().length).rate, cEnc]);
	rows.push([lib, 'decode + validate: parsePix()', timed((i) => (pu.hasError(pu.parsePix(codes[i].payload)) ? 0 : 1)).rate, cDec]);
} catch (e) {
	console.log(`pix-utils: not measured (${e.message})`);
}

// ---- @brazilian-utils/brazilian-utils: generatePixPayload, getPixPayloadInfo, isValidPixPayload ----
try {
	const name = '@brazilian-utils/brazilian-utils';
	const bu = require(name);
	const lib = `brazilian-utils ${version(name)}`;
	for (const f of ['generatePixPayload', 'getPixPayloadInfo', 'isValidPixPayload'])
		if (typeof bu[f] !== 'function') throw new Error(`it has no ${f}`);
	const input = codes.map((c) => ({
		key: c.key,
		merchantName: c.name,
		merchantCity: c.city,
		amount: c.cents ? c.cents / 100 : undefined,
		txid: c.txid || undefined,
	}));
	codes.forEach((c, i) => {
		const text = bu.generatePixPayload(input[i]);
		if (text === null) disagree(`${lib} encode refused`, i, `key ${c.key}`);
		else same(`${lib} encode: text differs`, i, 'payload', text, c.payload);
		if (!bu.isValidPixPayload(c.payload)) disagree(`${lib} isValidPixPayload refused`, i, c.payload);
		const d = bu.getPixPayloadInfo(c.payload);
		if (d === null) return disagree(`${lib} getPixPayloadInfo refused`, i, c.payload);
		same(`${lib} getPixPayloadInfo: field differs`, i, 'key', d.key, c.key);
		same(`${lib} getPixPayloadInfo: field differs`, i, 'name', d.merchantName, c.name);
		same(`${lib} getPixPayloadInfo: field differs`, i, 'city', d.merchantCity, c.city);
		same(`${lib} getPixPayloadInfo: field differs`, i, 'txid', d.txid, c.txid || undefined);
		same(`${lib} getPixPayloadInfo: field differs`, i, 'amount', d.amount === undefined ? 0 : Math.round(d.amount * 100), c.cents);
	});
	rows.push([lib, 'encode: generatePixPayload()', timed((i) => bu.generatePixPayload(input[i]).length).rate, cEnc]);
	rows.push([lib, 'decode + validate: getPixPayloadInfo()', timed((i) => (bu.getPixPayloadInfo(codes[i].payload) ? 1 : 0)).rate, cDec]);
	rows.push([lib, 'validate only: isValidPixPayload()', timed((i) => (bu.isValidPixPayload(codes[i].payload) ? 1 : 0)).rate, cDec]);
} catch (e) {
	console.log(`brazilian-utils: not measured (${e.message})`);
}

console.log(`${n} codes; node ${process.version}; each timed run ${passes * n} calls, best of ${repeat}, wall clock`);
console.log(`${'concilia (C)'.padEnd(22)} ${'encode: brcode_encode()'.padEnd(40)} ${(cEnc / 1e6).toFixed(2).padStart(8)} M/s`);
console.log(`${'concilia (C)'.padEnd(22)} ${'decode + validate: brcode_decode()'.padEnd(40)} ${(cDec / 1e6).toFixed(2).padStart(8)} M/s`);
for (const [lib, op, rate, c] of rows)
	console.log(`${lib.padEnd(22)} ${op.padEnd(40)} ${(rate / 1e6).toFixed(3).padStart(8)} M/s   concilia ${(c / rate).toFixed(1)}x`);
if (problems.size === 0) console.log(`agreement: every library encodes the ${n} codes to concilia's text and reads them back the same`);
for (const [what, p] of problems) {
	console.log(`disagreement: ${what}: ${p.count} of ${n}`);
	for (const e of p.examples) console.log(`    ${e}`);
}
