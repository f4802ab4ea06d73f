import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import type { EngineInfo } from '#shared/api/index';
import { parseProviderProblems, providerProblemText } from '#shared/providers/providerProblems';

/**
 * Why the engine does not use a provider the user would expect (CUDA without its libraries,
 * DirectML asked for on Linux): one line per provider with ONNX Runtime's reason, the provider
 * used instead and what to do. Other engine messages (a crash, a restart) are shown as they are.
 */
export function ProviderProblems({ engine }: { engine: EngineInfo }) {
  if (!engine.message) return null;
  const problems = parseProviderProblems(engine.message);
  return (
    <Stack spacing={1} sx={{ mt: 1 }} data-testid="provider-problems">
      {problems.length > 0 ? (
        problems.map((p) => (
          <Alert key={p.provider} severity="info" variant="outlined">
            {providerProblemText(p, engine.selected)}
          </Alert>
        ))
      ) : (
        <Alert severity={engine.state === 'running' ? 'info' : 'warning'} variant="outlined">
          {engine.message}
        </Alert>
      )}
    </Stack>
  );
}
