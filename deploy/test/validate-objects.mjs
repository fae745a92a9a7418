// Validates Kubernetes and Strimzi objects offline against their JSON schemas (kubernetes-models,
// @kubernetes-models/strimzi-kafka-operator). Those packages are ES modules only, which jest's
// CommonJS runtime cannot load, so manifests.spec.ts runs this with plain node:
//   node deploy/test/validate-objects.mjs < objects.json   ->   [{ kind, name, errors: [...] }]
// An apiVersion/kind that neither package models is an error ("unknown kind"), never a pass.
const packages = {
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io',
  'core.strimzi.io': '@kubernetes-models/strimzi-kafka-operator/core.strimzi.io',
};

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const base = packages[group] ?? (group ? `kubernetes-models/${group}` : 'kubernetes-models');
  try {
    const module = await import(`${base}/${version}/${kind}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const object of JSON.parse(input)) {
  const name = object?.metadata?.name ?? '(no name)';
  const kind = `${object?.apiVersion}/${object?.kind}`;
  const Model = typeof object?.apiVersion === 'string' && typeof object?.kind === 'string' ? await modelOf(object.apiVersion, object.kind) : undefined;
  if (!Model) {
    results.push({ kind, name, errors: [`unknown kind ${kind}: no schema to validate it against`] });
    continue;
  }
  try {
    new Model(object).validate();
    results.push({ kind, name, errors: [] });
  } catch (error) {
    const details = Array.isArray(error?.errors) ? error.errors.map((e) => `${e.instancePath || '/'} ${e.message}`) : [String(error?.message ?? error)];
    results.push({ kind, name, errors: details });
  }
}
process.stdout.write(JSON.stringify(results));
