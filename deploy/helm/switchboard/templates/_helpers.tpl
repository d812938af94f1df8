{{/*
Names: <release>-switchboard-<component>, or <release>-<component> when the release name already says switchboard.
Cut at 34 characters, so that the longest, <fullname>-publisher-service (18 more), is at most 52: a StatefulSet's
pods carry the label controller-revision-hash, <StatefulSet name>-<hash of up to 10>, which may not exceed 63.
*/}}
{{- define "switchboard.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 34 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 34 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* (dict "root" $ "component" "relay") */}}
{{- define "switchboard.name" -}}
{{- printf "%s-%s" (include "switchboard.fullname" .root) .component -}}
{{- end -}}

{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "switchboard.labels" -}}
{{ include "switchboard.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: switchboard
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The image of a component: (dict "root" $ "values" .Values.relay) */}}
{{- define "switchboard.image" -}}
{{- $repository := .values.image.repository -}}
{{- if .root.Values.image.registry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" .root.Values.image.registry) $repository -}}
{{- end -}}
{{- $tag := .values.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}

{{/*
Environment variables that hold secrets: they come from the Secret (secretKeyRef), never from values. A name here,
or one that says SECRET, PASSWORD or TOKEN, in a component's `env` fails the render, without repeating the value.
*/}}
{{- define "switchboard.secretEnvNames" -}}
DATABASE_URL PUSHER_SECRET REDIS_URL PUSHER_ENCRYPTION_MASTER_KEY_BASE64 SCHEMA_REGISTRY_URL SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG SWITCHBOARD_JWT_HS256_SECRET SWITCHBOARD_OPERATOR_TOKEN SPRING_DATASOURCE_PASSWORD
{{- end -}}

{{/* A component's plain `env`, checked: (dict "root" $ "values" .Values.relay "key" "relay") */}}
{{- define "switchboard.extraEnv" -}}
{{- $secretNames := splitList " " (include "switchboard.secretEnvNames" .root) -}}
{{- range $name, $value := .values.env }}
{{- if or (has $name $secretNames) (regexMatch "(?i)(SECRET|PASSWORD|TOKEN|CREDENTIAL)" $name) }}
{{- fail (printf "%s.env.%s: a secret may not be given as a value (it would be stored in the release and the manifests); put it in the Secret %q under the key %s" $.key $name $.root.Values.secretName $name) }}
{{- end }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* One variable from the Secret: (dict "root" $ "name" "PUSHER_SECRET" "optional" false) */}}
{{- define "switchboard.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.secretName }}
      key: {{ .name }}
      optional: {{ .optional }}
{{- end -}}

{{/* What every service shares: the bind address (Actuator and HTTP off loopback, inside the pod network). */}}
{{- define "switchboard.commonEnv" -}}
- name: SWITCHBOARD_BIND_ADDRESS
  value: "0.0.0.0"
{{- end -}}

{{/* Kafka, for the relay, the router and the publisher. */}}
{{- define "switchboard.kafkaEnv" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ required "kafka.bootstrapServers is required: your Kafka brokers, host:port, comma-separated" .Values.kafka.bootstrapServers | quote }}
- name: SWITCHBOARD_TOPICS_PARTITIONS
  value: {{ .Values.kafka.partitions | quote }}
- name: SWITCHBOARD_TOPICS_REPLICATION_FACTOR
  value: {{ .Values.kafka.replicationFactor | quote }}
{{- if .Values.kafka.properties }}
# Kafka's property names as they are (dots and all), which environment variable names cannot carry exactly
- name: SPRING_APPLICATION_JSON
  value: {{ dict "spring" (dict "kafka" (dict "properties" .Values.kafka.properties)) | toJson | quote }}
{{- end }}
{{ include "switchboard.secretEnv" (dict "root" . "name" "SCHEMA_REGISTRY_URL" "optional" true) }}
{{ include "switchboard.secretEnv" (dict "root" . "name" "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG" "optional" true) }}
{{- end -}}

{{/* The Pusher app, for the publisher and the gateway. */}}
{{- define "switchboard.pusherEnv" -}}
- name: PUSHER_APP_ID
  value: {{ .Values.pusher.appId | toString | quote }}
- name: PUSHER_KEY
  value: {{ .Values.pusher.key | quote }}
- name: PUSHER_CLUSTER
  value: {{ .Values.pusher.cluster | quote }}
- name: PUSHER_HOST
  value: {{ .Values.pusher.host | quote }}
- name: PUSHER_PORT
  value: {{ .Values.pusher.port | toString | quote }}
- name: PUSHER_SCHEME
  value: {{ .Values.pusher.scheme | quote }}
{{ include "switchboard.secretEnv" (dict "root" . "name" "PUSHER_SECRET" "optional" false) }}
{{ include "switchboard.secretEnv" (dict "root" . "name" "PUSHER_ENCRYPTION_MASTER_KEY_BASE64" "optional" true) }}
{{- end -}}

{{/* The consumers' static membership id: the pod's name (stable across restarts in a StatefulSet). */}}
{{- define "switchboard.instanceIdEnv" -}}
- name: SWITCHBOARD_INSTANCE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end -}}

{{/* Probes on Actuator: (dict "root" $ "port" "http") */}}
{{- define "switchboard.probes" -}}
{{- $p := .root.Values.probes -}}
startupProbe:
  httpGet: {path: /actuator/health/liveness, port: {{ .port }}}
  periodSeconds: {{ $p.startup.periodSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
livenessProbe:
  httpGet: {path: /actuator/health/liveness, port: {{ .port }}}
  periodSeconds: {{ $p.liveness.periodSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
readinessProbe:
  httpGet: {path: /actuator/health/readiness, port: {{ .port }}}
  periodSeconds: {{ $p.readiness.periodSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
{{- end -}}

{{/*
The pod spec's parts every service shares: (dict "root" $ "component" "relay" "values" .Values.relay)
*/}}
{{- define "switchboard.podCommon" -}}
automountServiceAccountToken: false
enableServiceLinks: false
terminationGracePeriodSeconds: {{ .values.terminationGracePeriodSeconds }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .root.Values.topologySpread }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "switchboard.selectorLabels" . | nindent 8 }}
{{- end }}
{{- end -}}

{{/* The container's parts every service shares: (dict "root" $ "component" "relay" "values" .Values.relay) */}}
{{- define "switchboard.containerCommon" -}}
image: {{ include "switchboard.image" . }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
securityContext:
  {{- toYaml .root.Values.containerSecurityContext | nindent 2 }}
resources:
  {{- toYaml .values.resources | nindent 2 }}
{{- end -}}

{{/*
Replicas beyond the partition count get no partition: (dict "root" $ "key" "router" "values" .Values.router).
Fails the render, rather than clamping, so that a value that cannot take effect is never silently changed.
*/}}
{{- define "switchboard.checkPartitions" -}}
{{- $partitions := int .root.Values.kafka.partitions -}}
{{- $perPod := int (.values.concurrency | default 1) -}}
{{- $a := .values.autoscaling -}}
{{- if lt $partitions 1 }}
{{- fail (printf "kafka.partitions must be at least 1, not %d" $partitions) }}
{{- end }}
{{- $replicas := int (ternary $a.maxReplicas .values.replicas (ne $a.mode "none")) -}}
{{- $setting := ternary (printf "%s.autoscaling.maxReplicas" .key) (printf "%s.replicas" .key) (ne $a.mode "none") -}}
{{- if gt (mul $replicas $perPod) $partitions }}
{{- fail (printf "%s (%d) x consumers per pod (%d) exceeds kafka.partitions (%d): a consumer beyond the partition count gets no partition and does nothing. Raise the topic's partitions first, then kafka.partitions, or lower %s to at most %d" $setting $replicas $perPod $partitions $setting (div $partitions $perPod)) }}
{{- end }}
{{- if and (ne $a.mode "none") (lt (int $a.minReplicas) 1) }}
{{- fail (printf "%s.autoscaling.minReplicas must be at least 1: scaling to zero adds a start-up (6 to 30 s measured) to the first event's latency" .key) }}
{{- end }}
{{- if and (ne $a.mode "none") (gt (int $a.minReplicas) (int $a.maxReplicas)) }}
{{- fail (printf "%s.autoscaling.minReplicas (%d) exceeds maxReplicas (%d)" .key (int $a.minReplicas) (int $a.maxReplicas)) }}
{{- end }}
{{- if not (has $a.mode (list "keda" "hpa" "none")) }}
{{- fail (printf "%s.autoscaling.mode must be keda, hpa or none, not %q" .key $a.mode) }}
{{- end }}
{{- if not (has .values.workload (list "StatefulSet" "Deployment")) }}
{{- fail (printf "%s.workload must be StatefulSet or Deployment, not %q" .key .values.workload) }}
{{- end }}
{{- end -}}

{{/* The routing rules file: router.routes, or the chart's copy of the router's built-in table. */}}
{{- define "switchboard.routes" -}}
{{- if .Values.router.routes -}}
{{- .Values.router.routes -}}
{{- else -}}
{{- .Files.Get "files/routes.yml" -}}
{{- end -}}
{{- end -}}
