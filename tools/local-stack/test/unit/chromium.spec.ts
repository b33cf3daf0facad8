import { join } from 'node:path';
import { findWorkspaceRoot } from '../../src';
import { ChromiumNotFoundError, findChromium } from '../support/chromium';

describe('findChromium', () => {
  const missing = join(findWorkspaceRoot(), 'tmp', 'no-chromium-here');
  const present = join(findWorkspaceRoot(), 'package.json');

  it('fails (the browser tests never skip) and says how to install one', () => {
    expect(() => findChromium({ CHROMIUM_PATH: missing }, [])).toThrow(
      new ChromiumNotFoundError(
        `no Chromium found (looked at ${missing}); the console's browser tests need one: sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary`,
      ),
    );
  });

  it('takes CHROMIUM_PATH first, then the usual locations', () => {
    expect(findChromium({ CHROMIUM_PATH: present }, [missing])).toBe(present);
    expect(findChromium({}, [missing, present])).toBe(present);
  });
});
