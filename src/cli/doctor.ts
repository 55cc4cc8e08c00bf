import { httpUrl } from './api.js';
import { type CliIO, EXIT, mask, truncate, write } from './io.js';

/** Options of {@link doctorCommand}. */
export interface DoctorCommandOptions {
  /** The WorkOS API (default https://api.workos.com; a fake one in tests). */
  baseUrl: string;
  /** Your webhook endpoint: checks that an unsigned POST is refused with 401. */
  url?: string;
  /** Clock skew beyond this fails the check. Default 30 000 ms. */
  maxSkewMs?: number;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
}

/** One line of the checklist. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about a failure. */
  fix?: string;
}

const PROBE_EVENT = 'user.created';

function fetchWith(io: CliIO, url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (io.signal) signals.push(io.signal);
  return (io.fetch ?? fetch)(url, { ...init, signal: AbortSignal.any(signals) });
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export function checkApiKey(key: string | undefined): DoctorCheck {
  const name = 'WORKOS_API_KEY';
  if (!key) {
    return {
      name,
      ok: false,
      detail: 'not set',
      fix: 'Set WORKOS_API_KEY (Dashboard → API Keys; it starts with sk_), in the environment or a .env file.',
    };
  }
  if (key.trim() !== key) {
    return {
      name,
      ok: false,
      detail: `${mask(key)} has leading or trailing whitespace`,
      fix: 'Remove the spaces/newline around the key (often from copy-paste or quotes in .env).',
    };
  }
  if (key.startsWith('pk_')) {
    return {
      name,
      ok: false,
      detail: `${mask(key)} is a publishable key (pk_…), not a secret API key`,
      fix: 'Use the secret key from Dashboard → API Keys: it starts with sk_ and must stay on the server.',
    };
  }
  if (!key.startsWith('sk_')) {
    return {
      name,
      ok: false,
      detail: `${mask(key)} does not start with sk_`,
      fix: 'WorkOS secret API keys start with sk_ (sk_test_… in staging, sk_live_… in production). Did you paste a client ID or the webhook secret?',
    };
  }
  return { name, ok: true, detail: `${mask(key)} (shaped sk_…)` };
}

export function checkWebhookSecret(secret: string | undefined): DoctorCheck {
  const name = 'WORKOS_WEBHOOK_SECRET';
  if (!secret) {
    return {
      name,
      ok: false,
      detail: 'not set',
      fix: 'Set WORKOS_WEBHOOK_SECRET to the signing secret of your endpoint (Dashboard → Webhooks → the endpoint).',
    };
  }
  if (secret.trim() !== secret) {
    return {
      name,
      ok: false,
      detail: `${mask(secret)} has leading or trailing whitespace (every signature check would fail)`,
      fix: 'Remove the stray spaces/newline (check quotes and line endings in .env).',
    };
  }
  if (/^["']|["']$/.test(secret)) {
    return {
      name,
      ok: false,
      detail: `${mask(secret)} starts or ends with a quote character`,
      fix: 'Remove the quotes around the value: they became part of the secret.',
    };
  }
  if (secret.startsWith('sk_')) {
    return {
      name,
      ok: false,
      detail: `${mask(secret)} looks like an API key, not a webhook secret`,
      fix: 'Copy the signing secret of the webhook endpoint (Dashboard → Webhooks), not the API key.',
    };
  }
  return { name, ok: true, detail: `${mask(secret)} (${secret.length} characters, no stray whitespace)` };
}

/** Asks the Events API once and derives two checks from the answer: clock skew (from `Date`) and the key's access. */
export async function checkEventsApi(
  io: CliIO,
  baseUrl: string,
  apiKey: string | undefined,
  maxSkewMs: number,
  timeoutMs: number,
): Promise<DoctorCheck[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/events?events=${PROBE_EVENT}&limit=1&order=asc`;
  const now = io.now ?? Date.now;
  const sentAt = now();
  let response: Response;
  try {
    response = await fetchWith(
      io,
      url,
      { headers: apiKey ? { authorization: `Bearer ${apiKey.trim()}`, accept: 'application/json' } : {} },
      timeoutMs,
    );
  } catch (error) {
    const detail = `cannot reach ${baseUrl}: ${networkReason(error)}`;
    const fix = 'Check the network, a proxy, or --base-url.';
    return [
      { name: 'Clock skew', ok: false, detail, fix },
      { name: 'Events API access', ok: false, detail, fix },
    ];
  }
  const receivedAt = now();
  await response.arrayBuffer().catch(() => undefined);
  const checks: DoctorCheck[] = [];

  const date = response.headers.get('date');
  const serverTime = date ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(serverTime)) {
    checks.push({
      name: 'Clock skew',
      ok: false,
      detail: 'the API answered without a usable Date header',
      fix: 'Compare `date -u` with a time server by hand; a proxy may strip the header.',
    });
  } else {
    // The Date header is truncated to the second and was produced somewhere during the round trip: compare the
    // middle of that second with the middle of the round trip.
    const local = (sentAt + receivedAt) / 2;
    const skew = local - (serverTime + 500);
    const seconds = (Math.abs(skew) / 1000).toFixed(1);
    const direction = skew > 0 ? 'ahead of' : 'behind';
    if (Math.abs(skew) > maxSkewMs) {
      checks.push({
        name: 'Clock skew',
        ok: false,
        detail: `this machine's clock is ${seconds} s ${direction} WorkOS's`,
        fix: 'Enable time sync (Linux: `timedatectl set-ntp true`; macOS: System Settings → Date & Time → Set automatically). Webhook signatures older or newer than the tolerance (3–5 min) are rejected.',
      });
    } else {
      checks.push({
        name: 'Clock skew',
        ok: true,
        detail: `${seconds} s ${direction} WorkOS (±1 s resolution; limit ${(maxSkewMs / 1000).toFixed(0)} s)`,
      });
    }
  }

  const requestId = response.headers.get('x-request-id');
  const ref = requestId ? ` (request id ${requestId})` : '';
  const name = 'Events API access';
  if (!apiKey) {
    checks.push({
      name,
      ok: false,
      detail: 'skipped: no usable WORKOS_API_KEY',
      fix: 'Fix WORKOS_API_KEY first (see above).',
    });
  } else if (response.status === 200) {
    checks.push({ name, ok: true, detail: `GET /events answered 200 for ${mask(apiKey)}` });
  } else if (response.status === 401) {
    checks.push({
      name,
      ok: false,
      detail: `GET /events answered 401 Unauthorized${ref}`,
      fix: 'The key is invalid, revoked, or from another environment (a staging key against production?). Create or copy a key in Dashboard → API Keys.',
    });
  } else if (response.status === 403) {
    checks.push({
      name,
      ok: false,
      detail: `GET /events answered 403 Forbidden${ref}`,
      fix: 'The key lacks permission for the Events API: use a key with full access or grant it in the Dashboard.',
    });
  } else {
    checks.push({
      name,
      ok: false,
      detail: `GET /events answered ${response.status}${ref}`,
      fix:
        response.status >= 500 || response.status === 429
          ? 'WorkOS is busy or failing: try again shortly (status.workos.com).'
          : 'Unexpected answer: check --base-url.',
    });
  }
  return checks;
}

/** POSTs a plausible but unsigned event to the endpoint: a correct endpoint refuses it with 401 before parsing. */
export async function checkEndpoint(io: CliIO, url: string, timeoutMs: number): Promise<DoctorCheck> {
  const name = 'Endpoint refuses unsigned requests';
  const body = JSON.stringify({
    id: 'event_01DOCTORUNSIGNEDPROBE00000',
    event: PROBE_EVENT,
    data: { id: 'user_01DOCTORPROBE', object: 'user' },
    created_at: new Date().toISOString(),
  });
  let response: Response;
  try {
    response = await fetchWith(
      io,
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'workos-events-doctor' }, body },
      timeoutMs,
    );
  } catch (error) {
    return {
      name,
      ok: false,
      detail: `cannot reach ${url}: ${networkReason(error)}`,
      fix: 'Is the app running and listening on that address and port?',
    };
  }
  const text = truncate(await response.text().catch(() => ''), 120);
  const detail = `POST ${url} without a signature answered ${response.status}${text ? ` ${text}` : ''}`;
  const status = response.status;
  if (status === 401) return { name, ok: true, detail };
  if (status === 404 || status === 405) {
    return {
      name,
      ok: false,
      detail,
      fix: 'No webhook route at this URL/method: the usual route is POST /webhooks/workos (Next.js: app/api/webhooks/workos/route.ts).',
    };
  }
  if (status >= 200 && status < 300) {
    return {
      name,
      ok: false,
      detail,
      fix: 'The endpoint accepted an unsigned request: anyone can forge events. Verify the WorkOS-Signature header (e.g. with createWorkOSWebhookHandler) before doing anything with the body.',
    };
  }
  if (status === 400 || status === 422) {
    return {
      name,
      ok: false,
      detail,
      fix: 'The endpoint parses or validates the body before checking the signature: verify first and answer 401 when the signature is missing or wrong.',
    };
  }
  if (status >= 500) {
    return {
      name,
      ok: false,
      detail,
      fix: 'The endpoint crashed on a request without a signature (e.g. reading the missing header): catch verification errors and answer 401.',
    };
  }
  return { name, ok: false, detail, fix: 'A missing or invalid signature should get 401 Unauthorized.' };
}

/**
 * `workos-events doctor`: the pre-flight checklist. Prints each check with pass/fail and the fix; returns 0 when all
 * pass, 1 otherwise. Never prints the API key or the secret (masked).
 */
export async function doctorCommand(options: DoctorCommandOptions, io: CliIO): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  httpUrl(options.baseUrl, '--base-url');
  if (options.url) httpUrl(options.url, '--url');
  const apiKey = io.env.WORKOS_API_KEY;
  const checks: DoctorCheck[] = [checkApiKey(apiKey), checkWebhookSecret(io.env.WORKOS_WEBHOOK_SECRET)];
  const keyUsable = checks[0]!.ok || apiKey?.trim().startsWith('sk_') === true;
  checks.push(
    ...(await checkEventsApi(
      io,
      options.baseUrl,
      keyUsable ? apiKey : undefined,
      options.maxSkewMs ?? 30_000,
      timeoutMs,
    )),
  );
  if (options.url) checks.push(await checkEndpoint(io, options.url, timeoutMs));

  const width = Math.max(...checks.map((c) => c.name.length));
  for (const check of checks) {
    write(io.stdout, `${check.ok ? '✔' : '✘'} ${check.name.padEnd(width)}  ${check.detail}`);
    if (!check.ok && check.fix) write(io.stdout, `  ${' '.repeat(width)}  → ${check.fix}`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  write(io.stdout);
  write(
    io.stdout,
    failed === 0 ? `All ${checks.length} checks passed.` : `${failed} of ${checks.length} checks failed.`,
  );
  return failed === 0 ? EXIT.ok : EXIT.failed;
}
