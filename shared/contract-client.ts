import type { Channel, ChannelInput, ChannelOutput } from './contract';

/**
 * The renderer's half of the contract, without zod (issue 12: zod was ~90 kB of the first task's
 * JavaScript). The renderer only calls; the hosts validate every input against shared/contract.ts
 * (electron/services/dispatch.ts), so the schemas stay there and only their types come here.
 */
export type { Channel, ChannelInput, ChannelOutput };

type Namespace<C extends string> = C extends `${infer NS}.${string}` ? NS : never;
type Method<C extends string, NS extends string> = C extends `${NS}.${infer M}` ? M : never;

/** The renderer's API: one object of namespaces (`api.task.next({})`), its type inferred from the contract. */
export type Api = {
  [NS in Namespace<Channel>]: {
    [C in Channel as Method<C, NS>]: (input: ChannelInput<C>) => Promise<ChannelOutput<C>>;
  };
};

/**
 * What the Electron preload offers besides the contract, as `window.workstation.shell`: the
 * renderer tells the shell its first screen is painted, and the window shows then (issue 12:
 * no blank or half-built window). Absent in browser mode.
 */
export interface ShellBridge {
  firstScreenPainted(): void;
}
/** the IPC message `firstScreenPainted` sends (preload -> the window in electron/main/window.ts) */
export const FIRST_SCREEN_IPC_CHANNEL = 'first-screen-painted';
// `shell` sits beside the contract's namespaces on window.workstation: no channel may take the name
const _shellIsNoNamespace: 'shell' extends keyof Api ? false : true = true;

export const API_ERROR_CODES = [
  'invalid-input',
  'not-found',
  'conflict',
  'forbidden',
  'internal',
  'unavailable',
] as const;

/** Error shape that crosses the boundary: a code, plain words, and field paths when input was invalid. */
export interface ApiErrorBody {
  code: (typeof API_ERROR_CODES)[number];
  message: string;
  issues?: { path: string; message: string }[] | undefined;
}

export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
  }
}

/**
 * The namespaced api over one transport function, built without the channel list (which lives
 * with the schemas): `api.task.next(input)` calls `invoke('task.next', input)`. The Api type
 * admits only the contract's channels; the host answers any other name with `not-found`.
 * (The preload, which must hand contextBridge a plain object, uses contract.ts's buildApi.)
 */
export function apiOver(invoke: (channel: Channel, input: unknown) => Promise<unknown>): Api {
  const namespaces = new Map<string, Record<string, (input: unknown) => Promise<unknown>>>();
  const namespace = (ns: string) => {
    let methods = namespaces.get(ns);
    if (!methods) {
      const made: Record<string, (input: unknown) => Promise<unknown>> = {};
      methods = new Proxy(made, {
        get: (target, method) => {
          if (typeof method !== 'string' || method === 'then') return undefined;
          return (target[method] ??= (input: unknown) => invoke(`${ns}.${method}` as Channel, input ?? {}));
        },
      });
      namespaces.set(ns, methods);
    }
    return methods;
  };
  // `then` stays undefined: an api handed to `await` or a Promise is not mistaken for a thenable
  return new Proxy({} as Api, {
    get: (_target, ns) => (typeof ns === 'string' && ns !== 'then' ? namespace(ns) : undefined),
  });
}
