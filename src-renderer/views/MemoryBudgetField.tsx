import { useEffect, useState } from 'react';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import {
  AUTO_BUDGET_SHARE,
  MEMORY_BUDGET_GB,
  type MemoryBudgetSetting,
} from '#shared/diffusion/memory/memoryBudget';

type Mode = 'auto' | 'off' | 'fixed';

/**
 * The `memoryBudgetGB` setting: automatic (a share of this device's memory), off, or a number of
 * GB. Diffusion renders split their UNet calls to stay under it; the render queue shows the
 * estimate for each render.
 */
export function MemoryBudgetField(props: {
  value: MemoryBudgetSetting;
  onChange: (value: MemoryBudgetSetting) => void;
}) {
  const mode: Mode = typeof props.value === 'number' ? 'fixed' : props.value;
  const [text, setText] = useState(typeof props.value === 'number' ? String(props.value) : '8');
  useEffect(() => {
    if (typeof props.value === 'number') setText(String(props.value));
  }, [props.value]);
  const gb = Number(text);
  const valid = Number.isFinite(gb) && gb >= MEMORY_BUDGET_GB.min && gb <= MEMORY_BUDGET_GB.max;
  return (
    <Stack direction="row" spacing={2} sx={{ maxWidth: 560 }}>
      <TextField
        select
        label="Memory budget"
        value={mode}
        onChange={(e) => {
          const next = e.target.value as Mode;
          if (next === 'fixed') {
            if (valid) props.onChange(gb);
          } else props.onChange(next);
        }}
        sx={{ minWidth: 220 }}
        slotProps={{ htmlInput: { 'data-testid': 'memory-budget-mode' } }}
      >
        <MenuItem value="auto">
          Automatic ({Math.round(AUTO_BUDGET_SHARE * 100)} % of this device)
        </MenuItem>
        <MenuItem value="fixed">Fixed</MenuItem>
        <MenuItem value="off">Off (never split)</MenuItem>
      </TextField>
      {mode === 'fixed' && (
        <TextField
          label="GB"
          type="number"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => valid && gb !== props.value && props.onChange(gb)}
          error={!valid}
          helperText={
            valid ? ' ' : `between ${MEMORY_BUDGET_GB.min} and ${MEMORY_BUDGET_GB.max} GB`
          }
          slotProps={{
            htmlInput: {
              'data-testid': 'memory-budget-gb',
              min: MEMORY_BUDGET_GB.min,
              max: MEMORY_BUDGET_GB.max,
              step: 0.5,
            },
          }}
        />
      )}
    </Stack>
  );
}
