// Importing a component defines its custom element (<strata-…>); nothing else is exported.
import './lifecycle-funnel/LifecycleFunnel.svelte';
