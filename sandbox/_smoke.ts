import { createFixture } from "./testing/sandbox-fixture";
void (async () => {
const f = await createFixture({ log: (l) => console.log(l) });
try {
  const out = await f.assume(f.mint());
  console.log(JSON.stringify(out, null, 1).slice(0, 1500));
  await f.assume(f.mint({ roleSessionName: "John Doe" })).catch((e) => console.log("ERR", e.name, e.$metadata?.httpStatusCode, e.message, e.Code, Object.keys(e)));
  await f.assume(f.mint(), { DurationSeconds: 10 }).catch((e) => console.log("ERR", e.name, e.$metadata?.httpStatusCode, e.message));
  await f.assume(f.mint(), { RoleArn: "arn:aws:iam::1:r" }).catch((e) => console.log("ERR", e.name, e.$metadata?.httpStatusCode, e.message));
  await f.assume(f.mint(), {}, f.clientFor(f.sandbox.url + "/me-south-1")).catch((e) => console.log("ERR", e.name, e.$metadata?.httpStatusCode, e.message));
  console.log(JSON.stringify(f.sandbox.state.calls.map(c => [c.signedRequest, c.region, c.outcome])));
} finally { await f.sandbox.close(); }

})();
