import { parseWorkOSEvent } from '../events/index.js';
import { parseDuration } from '../reconcile/duration.js';
import { isWorkOSWebhookError, type WorkOSWebhookError } from '../verify/errors.js';
import { parseSignatureHeader } from '../verify/header.js';
import { DEFAULT_TOLERANCE_MS, verifyWorkOSSignature } from '../verify/index.js';
import { payloadText } from '../verify/payload.js';
import { readsAsSeconds, timestampUnitOf, type WorkOSTimestampUnit } from '../verify/signature.js';
import { CliError, type CliIO, EXIT, readAll, write } from './io.js';

/** Options of {@link verifyCommand}. */
export interface VerifyCommandOptions {
  secret?: string;
  signature: string;
  /** Seconds (`300`) or a duration (`5m`). Default 300 s, like the handler. */
  tolerance?: string;
  /** Read the body from this file instead of standard input. */
  body?: Buffer;
  /** `auto` (default), `ms` or `s`: how `t` is read, as the verifier's `timestampUnit`. */
  timestampUnit?: string;
}

/** Parses `--timestamp-unit`. */
export function parseTimestampUnit(text: string | undefined): WorkOSTimestampUnit {
  try {
    return timestampUnitOf(text);
  } catch {
    throw new CliError(`--timestamp-unit expects auto, ms or s, got: ${text}`, EXIT.usage);
  }
}

const RAW_BODY_HINT =
  'The signature covers the exact bytes WorkOS sent. A body that went through JSON.parse/JSON.stringify ' +
  '(express.json(), a logger, a copy from a pretty-printed view) no longer matches: capture and verify the raw body.';

/** Parses `--tolerance`: plain seconds (`180`) or a duration (`3m`). */
export function parseTolerance(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TOLERANCE_MS;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  try {
    return parseDuration(text);
  } catch {
    throw new CliError(`--tolerance expects seconds (e.g. 300) or a duration (e.g. 5m), got: ${text}`, EXIT.usage);
  }
}

function human(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} days`;
}

async function matches(body: string | Uint8Array, signature: string, secret: string): Promise<boolean> {
  try {
    await verifyWorkOSSignature({ payload: body, signature, secret, toleranceMs: Number.POSITIVE_INFINITY });
    return true;
  } catch {
    return false;
  }
}

/** Tries the usual ways a captured body or secret differs from the signed one, and says which one explains it. */
async function diagnoseMismatch(body: Buffer, signature: string, secret: string): Promise<string[]> {
  const text = body.toString('utf8');
  const found: string[] = [];
  if (secret.trim() !== secret && (await matches(body, signature, secret.trim()))) {
    found.push(
      'The signature matches once the leading/trailing whitespace is removed from the secret: fix WORKOS_WEBHOOK_SECRET (a stray newline or space from copy-paste).',
    );
  }
  const trimmed = text.replace(/\r?\n+$/, '');
  if (trimmed !== text && (await matches(trimmed, signature, secret.trim()))) {
    found.push(
      'The signature matches without the trailing newline at the end of the body: your file has a newline the delivery did not have (editors and `echo` add one; save the raw bytes, or use `printf`).',
    );
  }
  if (found.length > 0) return found;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined) {
    for (const [label, variant] of [
      ['compact', JSON.stringify(parsed)],
      ['pretty-printed', JSON.stringify(parsed, null, 2)],
    ] as const) {
      if (variant !== text && (await matches(variant, signature, secret.trim()))) {
        found.push(
          `The signature matches the ${label} re-serialization of this JSON: the body you have was reformatted after it was received. ${RAW_BODY_HINT}`,
        );
      }
    }
  }
  return found;
}

function explainHeader(error: WorkOSWebhookError): string[] {
  if (error.code === 'missing_signature') {
    return [
      'The signature is empty. Pass the WorkOS-Signature header value, e.g. --signature "t=1700000000000, v1=<64 hex>".',
    ];
  }
  return [
    error.message,
    'Expected format: "t=<milliseconds since the epoch (seconds from the CLI emulator)>, v1=<64 lowercase hex characters>" (copy the whole WorkOS-Signature header value).',
  ];
}

/**
 * `workos-events verify`: checks a captured delivery (raw body + WorkOS-Signature header + secret) and explains a
 * failure in plain words. Returns the exit code: 0 valid, 1 invalid, 2 usage error.
 */
export async function verifyCommand(options: VerifyCommandOptions, io: CliIO): Promise<number> {
  const secret = options.secret ?? io.env.WORKOS_WEBHOOK_SECRET;
  if (!secret) {
    throw new CliError('No webhook secret: pass --secret or set WORKOS_WEBHOOK_SECRET.', EXIT.usage);
  }
  const toleranceMs = parseTolerance(options.tolerance);
  const unit = parseTimestampUnit(options.timestampUnit);
  const body = options.body ?? (await readAll(io.stdin));
  const out = io.stdout;
  const fail = (lines: string[]) => {
    write(out, '✘ Invalid delivery');
    for (const line of lines) write(out, `  - ${line}`);
    return EXIT.failed;
  };
  if (body.length === 0) {
    return fail(['The body is empty. Pipe the raw request body on standard input: workos-events verify … < body.json']);
  }

  let t: number;
  try {
    t = parseSignatureHeader(options.signature).timestamp;
  } catch (error) {
    if (isWorkOSWebhookError(error)) return fail(explainHeader(error));
    throw error;
  }

  const hmacOk = await matches(body, options.signature, secret);
  if (!hmacOk) {
    const lines = ['The signature does not match this body under this secret.'];
    const found = await diagnoseMismatch(body, options.signature, secret);
    if (found.length > 0) lines.push(...found);
    else {
      lines.push(
        'Check the secret: each webhook endpoint has its own (Dashboard → Webhooks → the endpoint), and staging and production differ.',
        RAW_BODY_HINT,
      );
      if (secret.trim() !== secret) lines.push('Note: the secret has leading or trailing whitespace.');
    }
    return fail(lines);
  }

  const now = io.now ? io.now() : Date.now();
  const seconds = readsAsSeconds(t, unit);
  const timestamp = seconds ? t * 1000 : t;
  const age = now - timestamp;
  const lines: string[] = [];
  let timeOk = true;
  if (Math.abs(age) > toleranceMs) {
    timeOk = false;
    if (!seconds && Math.abs(t * 1000 - now) < 86_400_000) {
      lines.push(
        "The timestamp looks like seconds (as WorkOS's CLI emulator signs), and --timestamp-unit ms reads only milliseconds: drop the option (auto reads both).",
      );
    } else if (seconds && unit === 's' && Math.abs(t - now) < 86_400_000) {
      lines.push(
        'The timestamp looks like milliseconds (as WorkOS signs), and --timestamp-unit s reads only seconds: drop the option (auto reads both).',
      );
    } else if (age > 0) {
      lines.push(
        `The signature is genuine, but it was made ${human(age)} ago, beyond the ${human(toleranceMs)} tolerance: a live endpoint rejects it as a possible replay.`,
        'If this is a delivery you captured earlier, that is expected (pass a larger --tolerance to check it anyway).',
        "If it happens on live deliveries, this machine's clock is probably behind: compare `date -u` with a time server and enable NTP (workos-events doctor measures the skew).",
      );
    } else {
      lines.push(
        `The signature is genuine, but its timestamp is ${human(age)} in the future, beyond the ${human(toleranceMs)} tolerance.`,
        "This machine's clock is probably behind WorkOS's: enable NTP time sync (workos-events doctor measures the skew).",
      );
    }
  }

  let eventLine: string | undefined;
  try {
    // Decoded as the verifier does (a leading BOM dropped), so a delivery it accepts is not called invalid here.
    const event = parseWorkOSEvent(JSON.parse(payloadText(body)));
    eventLine = `${event.event} ${event.id}`;
  } catch (error) {
    const reason = isWorkOSWebhookError(error) ? error.message : 'the body is not valid JSON';
    return fail([...lines, `The signature matches, but the body is not a WorkOS event: ${reason}`]);
  }
  if (!timeOk) return fail(lines);

  write(out, '✔ Valid delivery');
  write(out, `  event:     ${eventLine}`);
  write(out, `  signed at: ${new Date(timestamp).toISOString()} (${human(age)} ${age >= 0 ? 'ago' : 'ahead'})`);
  write(
    out,
    seconds
      ? "  t unit:    seconds (as WorkOS's CLI emulator signs; WorkOS itself signs in milliseconds)"
      : '  t unit:    milliseconds (as WorkOS signs)',
  );
  return EXIT.ok;
}
