/**
 * Demo section: webhook verification end to end. Signs a realistic `dsync.user.created` delivery, verifies it, then
 * shows each kind of bad delivery rejected with its stable code and HTTP status.
 */
import {
  signWorkOSWebhook,
  type VerifyWebhookInput,
  verifyWorkOSSignatureSync,
  verifyWorkOSWebhook,
  verifyWorkOSWebhookSync,
  WorkOSWebhookError,
} from '../../src/index.js';

const SECRET = 'whsec_demo_0FWAiVGkEfGBqqsJH4aNAGBJ4';
const OLD_SECRET = 'whsec_demo_previous_secret';

function deliveryBody(): string {
  return JSON.stringify({
    id: 'event_01JD8N3X4Y5Z6A7B8C9D0EFGHJ',
    event: 'dsync.user.created',
    data: {
      object: 'directory_user',
      id: 'directory_user_01E1JG7J09H96KYP8HM9B0G5SJ',
      directory_id: 'directory_01ECAZ4NV9QMV47GW873HDCX74',
      organization_id: 'org_01EZTR6WYX1A0DSE2CYMGXQ24Y',
      idp_id: '2836',
      email: 'marcelina.davis@example.com',
      first_name: 'Marcelina',
      last_name: 'Davis',
      state: 'active',
      raw_attributes: {},
      custom_attributes: { department: 'Engineering', job_title: 'Software Engineer' },
      role: { slug: 'member' },
      created_at: '2026-01-15T12:00:00.000Z',
      updated_at: '2026-01-15T12:00:00.000Z',
    },
    created_at: new Date().toISOString(),
  });
}

interface Case {
  name: string;
  /** `ok` or the expected error code. */
  expect: string;
  input: VerifyWebhookInput;
}

/** Runs the verification demo; prints a table and returns true when every case behaved as expected. */
export async function runVerifyDemo(): Promise<boolean> {
  const body = deliveryBody();
  const now = Date.now();
  const sign = (payload: string, secret = SECRET, timestamp = now) => signWorkOSWebhook({ payload, secret, timestamp });
  const valid = sign(body);

  const cases: Case[] = [
    {
      name: 'genuine delivery (raw Buffer body)',
      expect: 'ok',
      input: { payload: Buffer.from(body), signature: valid, secret: SECRET },
    },
    {
      name: 'signed with the previous secret (rotation)',
      expect: 'ok',
      input: { payload: body, signature: sign(body, OLD_SECRET), secret: [SECRET, OLD_SECRET] },
    },
    {
      name: 'tampered body (one field changed)',
      expect: 'signature_mismatch',
      input: { payload: body.replace('"member"', '"admin"'), signature: valid, secret: SECRET },
    },
    {
      name: 'stale timestamp (10 min old, replay)',
      expect: 'timestamp_too_old',
      input: { payload: body, signature: sign(body, SECRET, now - 600_000), secret: SECRET },
    },
    {
      name: 'future timestamp (10 min ahead)',
      expect: 'timestamp_too_new',
      input: { payload: body, signature: sign(body, SECRET, now + 600_000), secret: SECRET },
    },
    {
      name: 'wrong secret',
      expect: 'signature_mismatch',
      input: { payload: body, signature: sign(body, 'whsec_someone_else'), secret: SECRET },
    },
    {
      name: 'no WorkOS-Signature header',
      expect: 'missing_signature',
      input: { payload: body, signature: undefined, secret: SECRET },
    },
    {
      name: 'parsed object instead of raw body',
      expect: 'payload_not_raw',
      input: { payload: JSON.parse(body), signature: valid, secret: SECRET },
    },
  ];

  console.log(`\nWebhook verification: a signed dsync.user.created delivery (${Buffer.byteLength(body)} bytes)`);
  console.log(`header  WorkOS-Signature: ${valid.slice(0, 40)}…\n`);
  const rows: string[][] = [['case', 'expected', 'result', 'status', '']];
  let allGood = true;
  for (const c of cases) {
    let result: string;
    let status: string;
    try {
      const event = await verifyWorkOSWebhook(c.input);
      // The sync API must agree with the async one.
      if (verifyWorkOSWebhookSync(c.input).id !== event.id) throw new Error('sync and async disagree');
      const { secretIndex } = verifyWorkOSSignatureSync(c.input);
      result = `ok: ${event.event}, secret #${secretIndex}`;
      status = '200';
    } catch (err) {
      if (!(err instanceof WorkOSWebhookError)) throw err;
      result = err.code;
      status = String(err.status);
    }
    const good = c.expect === 'ok' ? result.startsWith('ok') : result === c.expect;
    allGood &&= good;
    rows.push([c.name, c.expect, result, status, good ? '✓' : '✗ UNEXPECTED']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [i, r] of rows.entries()) {
    console.log(
      r
        .map((cell, j) => cell.padEnd(widths[j]!))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log(allGood ? '\nverification: every case behaved as expected' : '\nverification: SOME CASES MISBEHAVED');
  return allGood;
}
