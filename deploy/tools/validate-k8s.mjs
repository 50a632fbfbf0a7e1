#!/usr/bin/env node
// Validates Kubernetes manifests against the Kubernetes API schemas (kubernetes-models: each object validates
// itself against the published OpenAPI definitions), then checks what this project requires of its deployments.
//
//   node validate-k8s.mjs files DIR         every file of DIR's kustomization, plus DIR/secret.example.yaml;
//                                           also checks the kustomization lists every manifest of DIR
//   node validate-k8s.mjs rendered FILE|-   the output of `kubectl kustomize DIR` (every object namespaced)
//   node validate-k8s.mjs secret-data FILE  prints the Secret's stringData as JSON (for the API-key check)
//
// Prints one line per object and one per problem; exit code 0 when there is none, 1 otherwise.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const problems = [];
const problem = (where, text) => problems.push(`${where}: ${text}`);

function readDocuments(source, text) {
  const objects = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      problem(source, `YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const value = document.toJS();
    if (value !== null && value !== undefined) objects.push({ source, value });
  }
  return objects;
}

// apiVersion "apps/v1" + kind "Deployment" → kubernetes-models/apps/v1/Deployment; the core group is "v1".
async function validateSchema({ source, value }) {
  const where = `${source} ${value?.kind ?? "?"}/${value?.metadata?.name ?? "?"}`;
  if (typeof value?.apiVersion !== "string" || typeof value?.kind !== "string") {
    problem(where, "apiVersion and kind are required");
    return false;
  }
  let model;
  try {
    model = (await import(`kubernetes-models/${value.apiVersion}/${value.kind}`))[value.kind];
  } catch {
    model = undefined;
  }
  if (typeof model !== "function") {
    problem(where, `${value.apiVersion} ${value.kind} is not a Kubernetes API kind`);
    return false;
  }
  try {
    new model(value).validate();
  } catch (error) {
    const details = Array.isArray(error.errors)
      ? error.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`)
      : [String(error.message ?? error)];
    for (const detail of details) problem(where, `schema: ${detail}`);
    return false;
  }
  console.log(`schema ok  ${where} (${value.apiVersion})`);
  return true;
}

const matches = (selector, labels) =>
  Object.entries(selector ?? {}).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

// What the schema cannot say: each service is sized, probed, scraped, locked down, drained, budgeted and scaled.
function checkPolicy(objects) {
  const of = (kind) => objects.filter((o) => o.value.kind === kind).map((o) => o.value);
  const deployments = of("Deployment");
  if (deployments.length === 0) problem("manifests", "no Deployment");
  for (const d of deployments) {
    const at = `Deployment/${d.metadata.name}`;
    const pod = d.spec.template;
    const podLabels = pod.metadata?.labels ?? {};
    if (!matches(d.spec.selector?.matchLabels, podLabels)) problem(at, "selector does not match the pod labels");
    if (d.spec.replicas !== undefined) problem(at, "replicas is set: the HorizontalPodAutoscaler owns it");

    const annotations = pod.metadata?.annotations ?? {};
    if (annotations["prometheus.io/scrape"] !== "true") problem(at, 'pod annotation prometheus.io/scrape is not "true"');
    if (annotations["prometheus.io/path"] !== "/metrics") problem(at, "pod annotation prometheus.io/path is not /metrics");

    const spec = pod.spec;
    if (!(spec.terminationGracePeriodSeconds > 30)) problem(at, "terminationGracePeriodSeconds must exceed the 30 s shutdown timeout");
    if (spec.securityContext?.runAsNonRoot !== true) problem(at, "pod securityContext.runAsNonRoot is not true");

    const main = spec.containers.find((c) => c.name === d.metadata.name);
    if (!main) problem(at, `no container named ${d.metadata.name}`);
    const ports = new Map((main?.ports ?? []).map((p) => [p.name, p.containerPort]));
    if (main && String(ports.get("http")) !== annotations["prometheus.io/port"]) problem(at, "prometheus.io/port is not the http container port");
    if (main?.readinessProbe?.httpGet?.path !== "/health/ready") problem(at, "readinessProbe is not GET /health/ready");
    if (main?.livenessProbe?.httpGet?.path !== "/health/live") problem(at, "livenessProbe is not GET /health/live");
    if (!main?.startupProbe?.httpGet) problem(at, "no startupProbe");

    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const cat = `${at} container ${c.name}`;
      for (const [kind, names] of [["requests", ["cpu", "memory"]], ["limits", ["memory"]]]) {
        for (const name of names) if (!c.resources?.[kind]?.[name]) problem(cat, `no resources.${kind}.${name}`);
      }
      if (c.securityContext?.allowPrivilegeEscalation !== false) problem(cat, "allowPrivilegeEscalation is not false");
      if (c.securityContext?.readOnlyRootFilesystem !== true) problem(cat, "readOnlyRootFilesystem is not true");
      if (!(c.securityContext?.capabilities?.drop ?? []).includes("ALL")) problem(cat, "capabilities do not drop ALL");
    }
    if (!(spec.initContainers ?? []).some((c) => c.name === "db-apply" && c.args?.join(" ") === "db apply")) {
      problem(at, "no db-apply init container");
    }

    const hpas = of("HorizontalPodAutoscaler").filter((h) => h.spec.scaleTargetRef?.kind === "Deployment" && h.spec.scaleTargetRef?.name === d.metadata.name);
    if (hpas.length !== 1) problem(at, `${hpas.length} HorizontalPodAutoscalers target it; want 1`);
    for (const h of hpas) {
      if (h.apiVersion !== "autoscaling/v2") problem(at, `its HorizontalPodAutoscaler is ${h.apiVersion}, not autoscaling/v2`);
      if (!(h.spec.minReplicas >= 2)) problem(at, "its HorizontalPodAutoscaler allows fewer than 2 replicas");
      if (!(h.spec.metrics ?? []).some((m) => m.type === "Resource" && m.resource?.name === "cpu")) problem(at, "its HorizontalPodAutoscaler does not scale on CPU");
    }
    const pdbs = of("PodDisruptionBudget").filter((p) => matches(p.spec.selector?.matchLabels, podLabels));
    if (pdbs.length !== 1) problem(at, `${pdbs.length} PodDisruptionBudgets select its pods; want 1`);
    const services = of("Service").filter((s) => matches(s.spec.selector, podLabels));
    if (services.length === 0) problem(at, "no Service selects its pods");
    for (const s of services) {
      for (const p of s.spec.ports ?? []) {
        if (typeof p.targetPort === "string" && !ports.has(p.targetPort)) problem(`Service/${s.metadata.name}`, `targetPort ${p.targetPort} is no container port`);
      }
    }
  }
  for (const h of of("HorizontalPodAutoscaler")) {
    if (!deployments.some((d) => d.metadata.name === h.spec.scaleTargetRef?.name)) problem(`HorizontalPodAutoscaler/${h.metadata.name}`, "targets no Deployment here");
  }
  for (const p of of("PodDisruptionBudget")) {
    if (!deployments.some((d) => matches(p.spec.selector?.matchLabels, d.spec.template.metadata?.labels))) problem(`PodDisruptionBudget/${p.metadata.name}`, "selects no Deployment's pods");
  }
}

async function validateAll(objects) {
  for (const object of objects) await validateSchema(object);
}

function finish() {
  for (const p of problems) console.log(`FAIL  ${p}`);
  console.log(problems.length === 0 ? "valid" : `${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}

const [mode, target] = process.argv.slice(2);
if (mode === "files" && target) {
  const kustomizationFile = join(target, "kustomization.yaml");
  const kustomization = readDocuments(kustomizationFile, readFileSync(kustomizationFile, "utf8"))[0]?.value ?? {};
  if (kustomization.kind !== "Kustomization") problem(kustomizationFile, "is not a Kustomization");
  const resources = kustomization.resources ?? [];
  const examples = ["secret.example.yaml"];
  for (const file of readdirSync(target).filter((f) => /\.ya?ml$/.test(f) && f !== "kustomization.yaml" && !examples.includes(f))) {
    if (!resources.includes(file)) problem(kustomizationFile, `does not list ${file}`);
  }
  const objects = [];
  for (const file of [...resources, ...examples]) {
    const path = join(target, file);
    if (!existsSync(path)) problem(kustomizationFile, `lists ${file}, which does not exist`);
    else objects.push(...readDocuments(file, readFileSync(path, "utf8")));
  }
  await validateAll(objects);
  checkPolicy(objects.filter((o) => o.source !== "secret.example.yaml"));
  finish();
} else if (mode === "rendered" && target) {
  const objects = readDocuments("rendered", readFileSync(target === "-" ? 0 : target, "utf8"));
  if (objects.length === 0) problem("rendered", "no object");
  for (const { value } of objects) {
    if (!value?.metadata?.namespace) problem(`rendered ${value?.kind}/${value?.metadata?.name}`, "has no namespace");
  }
  await validateAll(objects);
  checkPolicy(objects);
  finish();
} else if (mode === "secret-data" && target) {
  const secret = readDocuments(target, readFileSync(target, "utf8")).find((o) => o.value.kind === "Secret");
  if (!secret) {
    console.error(`${target}: no Secret`);
    process.exit(1);
  }
  console.log(JSON.stringify(secret.value.stringData ?? {}));
} else {
  console.error("usage: validate-k8s.mjs files DIR | rendered FILE|- | secret-data FILE");
  process.exit(2);
}
