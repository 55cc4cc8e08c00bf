// Runs once when the server starts. A missing or placeholder secret stops `next start` with a clear message instead
// of surfacing as failures on the first delivery. (Edge routes check the same configuration when they load.)
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkConfigOrExit } = await import('./lib/startup');
    checkConfigOrExit();
  }
}
