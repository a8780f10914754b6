# kvmguest: the two commands that matter are `make demo` (the main job) and `make test`.
MVN := ./mvnw -B

.PHONY: test demo demo-stop build images bench crds deps

## Install what is missing, then build and run every test.
test: deps
	$(MVN) verify

## The main job: run a real guest through the node agent (in a network namespace of its own).
demo: deps
	scripts/demo.sh

demo-stop:
	scripts/demo-stop.sh

build: deps
	$(MVN) -DskipTests package

## The operator and node-agent container images (podman; docker where it is the only engine).
images: deps
	$(MVN) -DskipTests package -pl operator,node-agent -am
	scripts/build-images.sh

## The agent pod's JVM, from the chart's defaults: agent.javaToolOptions, and agent.resources.limits.memory
## as -XX:MaxRAM (outside a container the JVM would size its heap from the host's RAM). The agent
## benchmarks run the agent inside their own JVM, so it gets these.
AGENT_JVM_OPTIONS = $(shell sed -n '/^agent:/,/^[a-z]/ s/^  javaToolOptions: "\(.*\)"/\1/p' helm/kvmguest/values.yaml)
AGENT_MAX_RAM = $(shell sed -n '/^agent:/,/^[a-z]/{/^    limits:/,/memory:/ s/^      memory: \([0-9]*\)\([MG]\)i$$/\1\2/p}' helm/kvmguest/values.yaml)
AGENT_JVM = -XX:MaxRAM=$(AGENT_MAX_RAM) $(AGENT_JVM_OPTIONS)

## Benchmarks that print figures, each writing its section of docs/benchmarks.md (docs/metrics.md
## quotes the scrape's): the agent's metrics sample and scrape at 1, 10 and 100 guests; a start burst
## of real and fake guests beside the same guests booted by hand; NIC throughput per model, product
## and hand-run; the operator's dispatch, placement and memory with 1,000 guests.
bench: deps
	@test -n "$(AGENT_JVM_OPTIONS)" -a -n "$(AGENT_MAX_RAM)" || { echo "bench: cannot read agent.javaToolOptions / agent.resources.limits.memory from helm/kvmguest/values.yaml" >&2; exit 1; }
	$(MVN) -q -pl operator,node-agent -am -DskipTests test-compile dependency:build-classpath \
	  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
	mkdir -p target/bench
	java $(AGENT_JVM) -cp node-agent/target/test-classes:node-agent/target/classes:$$(cat node-agent/target/test-classpath.txt) \
	  io.kvmguest.agent.metrics.ScrapeBenchmark
	cd node-agent && java $(AGENT_JVM) -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) \
	  io.kvmguest.agent.runtime.StartBurstBenchmark ../target/bench/start-burst.md
	scripts/bench-section.py docs/benchmarks.md start-burst target/bench/start-burst.md
	cd node-agent && java $(AGENT_JVM) -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) \
	  io.kvmguest.agent.runtime.NicThroughputBenchmark ../target/bench/nic-throughput.md
	scripts/bench-section.py docs/benchmarks.md nic-throughput target/bench/nic-throughput.md
	java -cp operator/target/test-classes:operator/target/classes:$$(cat operator/target/test-classpath.txt) \
	  io.kvmguest.operator.bench.DispatchBenchmark target/bench/operator-dispatch.md
	scripts/bench-section.py docs/benchmarks.md operator-dispatch target/bench/operator-dispatch.md

## Refresh the checked-in CRD (and the chart's copy) from the model (the build fails while they differ).
crds:
	$(MVN) -q -pl api -DskipTests process-classes
	cp api/target/classes/META-INF/fabric8/virtualguests.kvmguest.io-v1.yml crds/virtualguests.kvmguest.io.yaml
	cp crds/virtualguests.kvmguest.io.yaml helm/kvmguest/crds/virtualguests.kvmguest.io.yaml
	python3 scripts/readme-table.py README.md crds/virtualguests.kvmguest.io.yaml

deps:
	scripts/install-deps.sh
