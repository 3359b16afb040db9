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
# Its own resources: watch them, add and remove its finalizer on LLMBots, never write spec.
- apiGroups: [botfleet.dev]
  resources: [llmproviders, llmbots]
  verbs: [get, list, watch, patch, update]
# BotRuntimes are only read (group settings).
- apiGroups: [botfleet.dev]
  resources: [botruntimes]
  verbs: [get, list, watch]
# Status is all it writes on them.
- apiGroups: [botfleet.dev]
  resources: [llmproviders/status, llmbots/status, botruntimes/status]
  verbs: [get, patch, update]
# Lets owner references on group ConfigMaps block deletion where that admission plugin runs.
- apiGroups: [botfleet.dev]
  resources: [llmbots/finalizers]
  verbs: [update]
# Each runtime group's ConfigMap, Deployment and Service.
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [get, list, watch, create, update, delete]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, update, delete]
# Secrets are only read: whether a referenced key exists; list/watch for the labelled ones.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch]
# An Event on a resource for each transition to a failure.
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}
