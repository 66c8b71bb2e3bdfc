// Validates Kasha's deployment files without a cluster:
//   node validate.mjs --compose FILE... --k8s FILE...
// A --k8s file is a multi-document YAML as `kubectl kustomize` renders it. Each document is checked
// against the schema of its apiVersion and kind: Kubernetes' own (kubernetes-models) and KEDA's CRDs
// (@kubernetes-models/keda). A kind with no schema here fails the run, except Strimzi's, which are
// checked for the fields Kasha relies on. A --compose file is checked against the Compose
// Specification's JSON schema (compose-spec.json, copied from schema/compose-spec.json of the
// compose-spec/compose-spec repository at commit 170098ba, Apache License 2.0). Unknown fields are
// not reported: the Kubernetes models check types, required fields and enums, not additional
// properties. Prints every problem as FILE: [document] error,
// and exits 1 if there was any.
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import { parseAllDocuments } from "yaml";

const problems = [];
const report = (file, where, message) => problems.push(`${file}: ${where}${message}`);

function parseYaml(file) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { merge: true, uniqueKeys: true });
  const values = [];
  for (const doc of docs) {
    for (const e of doc.errors) report(file, "", `YAML: ${e.message}`);
    const value = doc.toJS({ maxAliasCount: -1 });
    if (value != null) values.push(value);
  }
  return values;
}

// apiVersion "apps/v1" -> kubernetes-models/apps/v1/Kind; the core group "v1" -> kubernetes-models/v1/Kind
function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "" || !group.includes(".") || group.endsWith(".k8s.io")) {
    return `kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`;
  }
  if (group === "keda.sh" || group === "eventing.keda.sh") {
    return `@kubernetes-models/keda/${group}/${version}/${kind}`;
  }
  return null;
}

async function loadModel(path) {
  try {
    return (await import(path))[path.slice(path.lastIndexOf("/") + 1)] ?? null;
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return null;
    throw e;
  }
}

// Strimzi's CRDs have no published models: check the fields Kasha depends on
const strimziTopics = new Map();
function checkStrimzi(file, where, doc) {
  if (!doc.metadata?.labels?.["strimzi.io/cluster"]) report(file, where, "metadata.labels must name strimzi.io/cluster");
  if (doc.kind === "KafkaTopic") {
    const spec = doc.spec ?? {};
    if (!Number.isInteger(spec.partitions) || spec.partitions < 1) report(file, where, "spec.partitions must be a positive integer");
    if (!Number.isInteger(spec.replicas) || spec.replicas < 1) report(file, where, "spec.replicas must be a positive integer");
    strimziTopics.set(spec.topicName ?? doc.metadata.name, spec);
  } else if (doc.kind === "KafkaUser") {
    if (!doc.spec?.authentication?.type) report(file, where, "spec.authentication.type is required");
  } else {
    report(file, where, `no check for ${doc.apiVersion} ${doc.kind}`);
  }
}

async function checkKubernetes(file) {
  strimziTopics.clear();
  for (const [i, doc] of parseYaml(file).entries()) {
    const where = `[${i + 1}] ${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}: `;
    if (typeof doc?.apiVersion !== "string" || typeof doc?.kind !== "string") {
      report(file, where, "apiVersion and kind are required");
      continue;
    }
    if (doc.apiVersion.startsWith("kafka.strimzi.io/")) {
      checkStrimzi(file, where, doc);
      continue;
    }
    const path = modelPath(doc.apiVersion, doc.kind);
    const Model = path && await loadModel(path);
    if (!Model) {
      report(file, where, `no schema for ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      report(file, where, e.message);
    }
  }
  const studies = strimziTopics.get("kasha.studies");
  const reports = strimziTopics.get("kasha.trial-reports");
  if (studies && reports && studies.partitions !== reports.partitions) {
    report(file, "", `kasha.studies (${studies.partitions} partitions) and kasha.trial-reports `
      + `(${reports.partitions}) must have the same partition count`);
  }
}

function checkCompose(file) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const schema = JSON.parse(readFileSync(new URL("./compose-spec.json", import.meta.url), "utf8"));
  // the spec names draft-07 by an address Ajv does not list; Ajv's default dialect is draft-07
  delete schema.$schema;
  const validate = ajv.compile(schema);
  const docs = parseYaml(file);
  if (docs.length !== 1) {
    report(file, "", `a compose file is one YAML document, found ${docs.length}`);
    return;
  }
  if (!validate(docs[0])) {
    for (const e of validate.errors) {
      const extra = e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : "";
      report(file, "", `${e.instancePath || "/"} ${e.message}${extra}`);
    }
  }
}

let mode = null;
const files = { "--compose": [], "--k8s": [] };
for (const arg of process.argv.slice(2)) {
  if (arg in files) mode = arg;
  else if (mode) files[mode].push(arg);
  else { console.error(`usage: node validate.mjs --compose FILE... --k8s FILE...`); process.exit(2); }
}
files["--compose"].forEach(checkCompose);
for (const file of files["--k8s"]) await checkKubernetes(file);

const checked = files["--compose"].length + files["--k8s"].length;
if (problems.length > 0) {
  problems.forEach((p) => console.error(p));
  console.error(`validate: ${problems.length} problem(s) in ${checked} file(s)`);
  process.exit(1);
}
console.log(`validate: ${checked} file(s) valid`);
