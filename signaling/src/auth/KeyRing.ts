import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const keyFile = /^([A-Za-z0-9_-]{1,64})\.pem$/;

/**
 * The ES256 keys that sign and verify booking tokens, one file per key id (`<kid>.pem`).
 * Rotation: add a new key file and make it active; keep the old one until its tokens expire.
 */
export class KeyRing {
  private constructor(
    private readonly keys: Map<string, SigningKey>,
    readonly activeKid: string,
  ) {}

  static load(dir: string, options: { activeKid?: string | undefined; autogenerate: boolean }): KeyRing {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let files = readdirSync(dir).filter((f) => keyFile.test(f)).sort();
    if (files.length === 0 && options.autogenerate) {
      const kid = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      writeFileSync(join(dir, `${kid}.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      files = [`${kid}.pem`];
    }
    if (files.length === 0) throw new Error(`no token signing keys in ${dir}: add an ES256 key as <kid>.pem`);
    const keys = new Map<string, SigningKey>();
    for (const file of files) {
      const kid = keyFile.exec(file)![1]!;
      const privateKey = createPrivateKey(readFileSync(join(dir, file)));
      if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        throw new Error(`token key ${file} is not an EC P-256 private key`);
      }
      keys.set(kid, { kid, privateKey, publicKey: createPublicKey(privateKey) });
    }
    const activeKid = options.activeKid ?? [...keys.keys()].at(-1)!;
    if (!keys.has(activeKid)) throw new Error(`TOKEN_ACTIVE_KID ${activeKid} has no key file in ${dir}`);
    return new KeyRing(keys, activeKid);
  }

  signingKey(): SigningKey {
    return this.keys.get(this.activeKid)!;
  }

  publicKey(kid: string): KeyObject | undefined {
    return this.keys.get(kid)?.publicKey;
  }
}
