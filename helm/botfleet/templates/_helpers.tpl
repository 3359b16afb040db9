{{/* Name of the operator's objects. */}}
{{- define "botfleet.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "botfleet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: botfleet-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: botfleet
{{- end -}}

{{- define "botfleet.selectorLabels" -}}
app.kubernetes.io/name: botfleet-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "botfleet.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.operator.replicas) 1) -}}true{{- else -}}false{{- end -}}
{{- end -}}

{{/* The rules the operator needs on watched namespaces, shared by the ClusterRole and the Roles. */}}
{{- define "botfleet.rules" -}}
# Its own resources are watched. On LLMBots it adds and removes its finalizer (a patch); it never
# writes any spec, and LLMProviders and BotRuntimes carry no finalizer.
- apiGroups: [botfleet.dev]
  resources: [llmproviders]
  verbs: [list, watch]
# A runtime group that bots name and that has no BotRuntime gets an empty one, deleted with the
# group's last bot unless someone else has written it since.
- apiGroups: [botfleet.dev]
  resources: [botruntimes]
  verbs: [list, watch, create, delete]
- apiGroups: [botfleet.dev]
  resources: [llmbots]
  verbs: [list, watch, patch]
# Status is all it writes on them, each status whole.
- apiGroups: [botfleet.dev]
  resources: [llmproviders/status, llmbots/status, botruntimes/status]
  verbs: [update]
# Each runtime group's ConfigMap, Deployment and Service, read from watches.
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [list, watch, create, update, delete]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, create, update, delete]
# A group's HorizontalPodAutoscaler (BotRuntime autoscaling) and PodDisruptionBudget (more than one replica).
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [list, watch, create, update, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [list, watch, create, update, delete]
# Secrets are only read: get, whether a referenced key exists; list/watch for the labelled ones.
# RBAC cannot narrow list/watch to a label, so watchSecrets=false leaves get alone.
- apiGroups: [""]
  resources: [secrets]
  verbs: {{ .Values.watchSecrets | ternary "[get, list, watch]" "[get]" }}
# An Event on a resource for each transition to a failure; the same event again raises its count.
- apiGroups: [""]
  resources: [events]
  verbs: [create, get, patch]
{{- end -}}
