// check-hl7.mjs FILE: read the HL7 v2 messages of FILE (segments ended by
// CR, messages beginning at each MSH) with @medplum/core's Hl7Message, an
// independent parser, and print every non-empty value as caseload's
// `import adt --dry-run --format tsv` does: message, segment, its ordinal
// among segments of that name, field, repetition, component,
// subcomponent (1-based) and the value.  Hl7Message splits but does not
// decode escape sequences: the standard ones (\F\ \S\ \T\ \R\ \E\ \Xhh\
// \.br\, and \H\ \N\ dropped) are decoded here, from the HL7 v2 text.
// The TSV writer shows tabs and line breaks as spaces, as caseload does.
import { readFileSync } from 'node:fs';
import { Hl7Message } from '@medplum/core';

const text = readFileSync(process.argv[2], 'latin1');
const bytes = Buffer.from(text, 'latin1').toString('utf8');
const messages = bytes.split('\r').filter((s) => s.length > 0)
	.reduce((acc, seg) => {
		if (seg.startsWith('MSH') || acc.length === 0) acc.push([]);
		acc[acc.length - 1].push(seg);
		return acc;
	}, []);

function decode(value, ctx) {
	const e = ctx.escapeCharacter;
	let out = '';
	for (let i = 0; i < value.length; i++) {
		if (value[i] !== e) { out += value[i]; continue; }
		const end = value.indexOf(e, i + 1);
		const seq = value.slice(i + 1, end);
		i = end;
		if (seq === 'F') out += ctx.fieldSeparator;
		else if (seq === 'S') out += ctx.componentSeparator;
		else if (seq === 'T') out += ctx.subcomponentSeparator;
		else if (seq === 'R') out += ctx.repetitionSeparator;
		else if (seq === 'E') out += e;
		else if (seq === '.br') out += '\n';
		else if (seq === 'H' || seq === 'N') out += '';
		else if (seq.startsWith('X')) out += Buffer.from(seq.slice(1), 'hex').toString('utf8');
		else throw new Error(`unknown escape ${seq}`);
	}
	return out;
}

const clean = (s) => s.replace(/[\t\n]/g, ' ');
const lines = ['message\tsegment\tseq\tfield\trep\tcomp\tsub\tvalue'];
messages.forEach((segs, mi) => {
	const msg = Hl7Message.parse(segs.join('\r'));
	const ctx = msg.context;
	const seen = {};
	for (const seg of msg.segments) {
		seen[seg.name] = (seen[seg.name] || 0) + 1;
		const at = [mi + 1, seg.name, seen[seg.name]];
		const msh = seg.name === 'MSH';
		if (msh) {
			lines.push([...at, 1, 1, 1, 1, ctx.fieldSeparator].join('\t'));
			lines.push([...at, 2, 1, 1, 1, seg.getField(2).toString()].join('\t'));
		}
		// MSH-1 is the separator itself: MSH's fields are one further on
		const last = msh ? seg.fields.length : seg.fields.length - 1;
		for (let f = msh ? 3 : 1; f <= last; f++) {
			const field = seg.getField(f);
			field.components.forEach((comps, r) => {
				comps.forEach((comp, c) => {
					comp.split(ctx.subcomponentSeparator).forEach((sub, s) => {
						const v = decode(sub, ctx);
						if (v !== '') lines.push([...at, f, r + 1, c + 1, s + 1, clean(v)].join('\t'));
					});
				});
			});
		}
	}
});
process.stdout.write(lines.join('\n') + '\n');
