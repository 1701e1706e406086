import { describe, expect, it } from 'vitest';
import { optionBindings } from '../src/config/bindings.js';
import { configOptions } from '../src/config/catalogue.js';

describe('option bindings read from the schema', () => {
  it('name the same options, environment variables, secrets and kinds as the JSON Schema catalogue', () => {
    const fromCatalogue = configOptions().map((option) => ({
      path: option.path,
      env: option.env,
      secret: option.secret,
      kind: option.type === 'integer' ? 'integer' : option.type === 'boolean' ? 'boolean' : 'text',
    }));
    expect(optionBindings()).toEqual(fromCatalogue);
  });

  it('cover the environment variables a start reads, whole numbers and switches included', () => {
    const byEnv = new Map(optionBindings().flatMap((binding) => (binding.env ? [[binding.env, binding] as const] : [])));
    expect(byEnv.get('COC_CHATOPS_DATA_DIR')).toMatchObject({ path: ['store', 'dataDir'], kind: 'text', secret: false });
    expect(byEnv.get('DATABASE_URL')).toMatchObject({ path: ['store', 'databaseUrl'], secret: true });
    expect(byEnv.get('COC_CHATOPS_DB_CONNECT_TIMEOUT_MS')).toMatchObject({ kind: 'integer' });
    expect([...byEnv.values()].some((binding) => binding.kind === 'boolean')).toBe(true);
  });
});
