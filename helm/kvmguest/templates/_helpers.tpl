{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "kvmguest.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name prefix: "<release>-<chart>", or the release name when it already contains the chart name. */}}
{{- define "kvmguest.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "name-version" of the chart, for the helm.sh/chart label. */}}
{{- define "kvmguest.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. Call with (dict "ctx" $ "component" "operator"). */}}
{{- define "kvmguest.labels" -}}
helm.sh/chart: {{ include "kvmguest.chart" .ctx }}
{{ include "kvmguest.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: kvmguest
{{- end }}

{{/* Labels that select a component's pods (they never change across upgrades). */}}
{{- define "kvmguest.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kvmguest.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end }}

{{- define "kvmguest.operator.fullname" -}}
{{- printf "%s-operator" (include "kvmguest.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kvmguest.agent.fullname" -}}
{{- printf "%s-agent" (include "kvmguest.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kvmguest.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "kvmguest.operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- required "operator.serviceAccount.name is required when operator.serviceAccount.create is false" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kvmguest.agent.serviceAccountName" -}}
{{- if .Values.agent.serviceAccount.create }}
{{- default (include "kvmguest.agent.fullname" .) .Values.agent.serviceAccount.name }}
{{- else }}
{{- required "agent.serviceAccount.name is required when agent.serviceAccount.create is false" .Values.agent.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
An image reference: <registry>/<repository>@<digest> when a digest is set, else
<registry>/<repository>:<tag or appVersion>. Call with (dict "ctx" $ "image" .Values.operator.image).
*/}}
{{- define "kvmguest.image" -}}
{{- $registry := default .ctx.Values.image.registry .image.registry -}}
{{- $ref := ternary (printf "%s/%s" $registry .image.repository) .image.repository (ne $registry "") -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $ref .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (default .ctx.Chart.AppVersion .image.tag) -}}
{{- end -}}
{{- end }}

{{/* Leader election: on when more than one operator replica runs. */}}
{{- define "kvmguest.operator.leaderElection" -}}
{{- if gt (int .Values.operator.replicas) 1 }}true{{ end }}
{{- end }}
