import { z } from 'zod';

/**
 * The `memoryBudgetGB` setting: how much memory a diffusion render may use (GB of 1024³ bytes).
 * `auto` takes a share of the device's memory, `off` never splits UNet calls (a render may then
 * need far more than the machine has: the estimate says how much before it starts).
 */
export const MEMORY_BUDGET_GB = { min: 0.5, max: 4096 } as const;
/** Share of the device's memory `auto` grants: the OS, the app and other programs keep the rest. */
export const AUTO_BUDGET_SHARE = 0.75;

export const memoryBudgetSchema = z.union([
  z.enum(['auto', 'off']),
  z.number().min(MEMORY_BUDGET_GB.min).max(MEMORY_BUDGET_GB.max),
]);
export type MemoryBudgetSetting = z.infer<typeof memoryBudgetSchema>;

/** The budget in bytes for a device with `deviceBytes` of memory; null = off. */
export function memoryBudgetBytes(
  setting: MemoryBudgetSetting,
  deviceBytes: number,
): number | null {
  if (setting === 'off') return null;
  if (setting === 'auto') return Math.floor(deviceBytes * AUTO_BUDGET_SHARE);
  return Math.round(setting * 1024 ** 3);
}
