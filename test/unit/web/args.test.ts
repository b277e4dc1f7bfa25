import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, defaultDataDir, parseWebArgs } from '../../../electron/web/args';

describe('browser-mode arguments', () => {
  it('parses --data-dir, --port and --import', () => {
    expect(
      parseWebArgs(['--data-dir', 'x/data', '--port', '8123', '--import', 'tasks.jsonl'], {}, 'linux'),
    ).toEqual({
      dataDir: path.resolve('x/data'),
      port: 8123,
      importFile: 'tasks.jsonl',
      serverUrl: null,
    });
    expect(parseWebArgs(['--server', 'http://127.0.0.1:8080'], {}, 'linux').serverUrl).toBe(
      'http://127.0.0.1:8080',
    );
    expect(parseWebArgs(['--port=0'], { XDG_CONFIG_HOME: '/cfg' }, 'linux')).toMatchObject({
      port: 0,
      importFile: null,
    });
  });

  it('defaults to a random port and the folder the Electron app uses', () => {
    const args = parseWebArgs([], { XDG_CONFIG_HOME: '/home/r/.config' }, 'linux');
    expect(args.port).toBe(0);
    expect(args.dataDir).toBe('/home/r/.config/RLHF Reviewer Workstation/data');
  });

  it('follows each platform convention for the per-user data folder', () => {
    expect(defaultDataDir({}, 'linux', '/home/r')).toBe('/home/r/.config/RLHF Reviewer Workstation/data');
    expect(defaultDataDir({}, 'darwin', '/Users/r')).toBe(
      '/Users/r/Library/Application Support/RLHF Reviewer Workstation/data',
    );
    expect(defaultDataDir({ APPDATA: 'C:/Users/r/AppData/Roaming' }, 'win32', 'C:/Users/r')).toBe(
      path.join('C:/Users/r/AppData/Roaming', 'RLHF Reviewer Workstation', 'data'),
    );
  });

  it('refuses --host, unknown options, stray arguments and bad ports', () => {
    expect(() => parseWebArgs(['--host', '0.0.0.0'])).toThrow(/127\.0\.0\.1/);
    expect(() => parseWebArgs(['--host=::'])).toThrow(UsageError);
    expect(() => parseWebArgs(['--bind', 'x'])).toThrow(UsageError);
    expect(() => parseWebArgs(['extra'])).toThrow(UsageError);
    for (const port of ['-1', '65536', '80.5', 'http']) {
      expect(() => parseWebArgs(['--port', port])).toThrow(/--port/);
    }
  });
});
