"""Checks of the probes area: handlers, exec commands, ports, timing and presence of probes.

The area's rules live in ``rules/probes``; lifecycle rules that share their logic (handler
count, handler fields, exec commands) use the same checks. Sources: research/k8s-semantics.md
sections 1 (validation), 3 (defaults), 4 (kubelet) and 7 (gates).
"""
