// Importing a component defines its custom element (<strata-…>); nothing else is exported.
import './lifecycle-funnel/LifecycleFunnel.svelte';
import './customer-profile/CustomerProfile.svelte';
import './next-actions/NextActions.svelte';
import './strategy-map/StrategyMap.svelte';
import './kpi/Kpi.svelte';
