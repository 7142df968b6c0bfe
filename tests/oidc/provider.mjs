// A real OpenID provider (the certified `oidc-provider` package) for the tests, on loopback.
// Configured by the test: one JSON argument {clients, accounts, rogue_keys}. It listens on a free
// port, then prints one line {"issuer": ...} on stdout. The dev login form (any password) signs in
// the account named in its "login" field. With rogue_keys, /jwks publishes a different key under the
// signing key's kid: every ID token it issues then fails the relying party's signature check.
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2]);

function rsaJwk(kid) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}

const signing = rsaJwk('k1');
const other = rsaJwk('k1');
const publicPart = ({ kty, n, e, kid, use, alg }) => ({ kty, n, e, kid, use, alg });

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients,
    jwks: { keys: [signing] },
    cookies: { keys: ['test-cookie-key-not-secret'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(ctx, id) {
      const account = config.accounts[id];
      if (!account) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...account }; } };
    },
  });
  provider.use(async (ctx, next) => {
    if (config.rogue_keys && ctx.path === '/jwks') {
      ctx.type = 'application/jwk-set+json';
      ctx.body = { keys: [publicPart(other)] };
      return;
    }
    await next();
  });
  server.on('request', provider.callback());
  process.stdout.write(JSON.stringify({ issuer }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
