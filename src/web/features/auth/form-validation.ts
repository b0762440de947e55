import type { TFunction } from 'i18next';
import type { z } from 'zod';

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/** The sentence for one refused field, in the reader's language. */
export type IssueText = (field: string, issue: z.core.$ZodIssue) => string;

/** Validates a whole form with a shared request schema; the first message of each field. */
export function validateForm<K extends string>(schema: z.ZodType, values: Record<K, string>, text: IssueText = (_, i) => i.message): FieldErrors<K> {
  const result = schema.safeParse(values);
  if (result.success) return {};
  const errors: FieldErrors<K> = {};
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string' && key in values && !errors[key as K]) errors[key as K] = text(key, issue);
  }
  return errors;
}

/** The error of one field, for validation on blur. */
export function validateField<K extends string>(schema: z.ZodType, values: Record<K, string>, field: K, text?: IssueText): string | undefined {
  return validateForm(schema, values, text)[field];
}

/**
 * The login and signup schemas' refusals in words: the schema's own (English) message is the fallback
 * for a refusal the forms do not expect.
 */
export function authIssueText(t: TFunction): IssueText {
  return (field, issue) => {
    if (issue.code === 'too_big') return t('auth.invalid.tooLong');
    if (issue.code === 'too_small') {
      if (field === 'name') return t('auth.invalid.nameMissing');
      if (field === 'email') return t('auth.invalid.emailMissing');
      if (field === 'password') return Number(issue.minimum) > 1 ? t('auth.invalid.passwordShort') : t('auth.invalid.passwordMissing');
    }
    if (field === 'email' && issue.code === 'invalid_format') return t('auth.invalid.emailInvalid');
    return issue.message;
  };
}
