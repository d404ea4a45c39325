import type { Redis } from 'ioredis';
import { z } from 'zod';
import { hashPassword, verifyPassword } from './passwords';

/** What a signed-in person may do. The lawyer books on the portal; the others are staff. */
export const personRoleSchema = z.enum(['lawyer', 'station_officer', 'detention_officer', 'ops', 'admin']);
export type PersonRole = z.infer<typeof personRoleSchema>;

export const usernameSchema = z.string().regex(/^[a-z0-9._-]{3,64}$/, 'usernames are 3-64 lower-case letters, digits, . _ or -');

const accountSchema = z.object({
  username: usernameSchema,
  displayName: z.string().min(1).max(100),
  role: personRoleSchema,
  /** The station or detention center a staff member works at; a lawyer's id in the booking domain. */
  siteId: z.string().max(64).optional(),
  passwordHash: z.string(),
  disabled: z.boolean().default(false),
});

export type PersonAccount = z.infer<typeof accountSchema>;
export type PublicPerson = Omit<PersonAccount, 'passwordHash'>;

const accountKey = (username: string) => `huijian:account:${username}`;

/** People who sign in (lawyers on the portal, staff on the consoles), with scrypt password hashes. */
export class PersonAccounts {
  constructor(private readonly redis: Redis) {}

  async create(person: Omit<PersonAccount, 'passwordHash' | 'disabled'> & { password: string }): Promise<PublicPerson> {
    const { password, ...rest } = person;
    const account = accountSchema.parse({ ...rest, passwordHash: await hashPassword(password), disabled: false });
    await this.redis.set(accountKey(account.username), JSON.stringify(account));
    return withoutHash(account);
  }

  async get(username: string): Promise<PublicPerson | undefined> {
    const account = await this.load(username);
    return account && withoutHash(account);
  }

  /** The person if the password matches an enabled account; undefined otherwise (no hint which part was wrong). */
  async authenticate(username: string, password: string): Promise<PublicPerson | undefined> {
    const account = usernameSchema.safeParse(username).success ? await this.load(username) : undefined;
    if (!account || account.disabled) return undefined;
    return (await verifyPassword(password, account.passwordHash)) ? withoutHash(account) : undefined;
  }

  private async load(username: string): Promise<PersonAccount | undefined> {
    const raw = await this.redis.get(accountKey(username));
    return raw ? accountSchema.parse(JSON.parse(raw)) : undefined;
  }
}

function withoutHash({ passwordHash: _hash, ...person }: PersonAccount): PublicPerson {
  return person;
}
