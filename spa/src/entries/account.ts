import { createApp } from 'vue';
import '../styles/base.css';
import AccountSummaryView from '../views/AccountSummaryView.vue';

createApp(AccountSummaryView).mount('#app');
