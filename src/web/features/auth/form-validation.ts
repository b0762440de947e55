import type { z } from 'zod';

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/** Validates a whole form with a shared request schema; the first message of each field. */
export function validateForm<K extends string>(schema: z.ZodType, values: Record<K, string>): FieldErrors<K> {
  const result = schema.safeParse(values);
  if (result.success) return {};
  const errors: FieldErrors<K> = {};
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string' && key in values && !errors[key as K]) errors[key as K] = issue.message;
  }
  return errors;
}

/** The error of one field, for validation on blur. */
export function validateField<K extends string>(schema: z.ZodType, values: Record<K, string>, field: K): string | undefined {
  return validateForm(schema, values)[field];
}
