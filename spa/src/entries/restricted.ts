import { createApp } from 'vue';
import '../styles/base.css';
import RestrictedView from '../views/RestrictedView.vue';

createApp(RestrictedView).mount('#app');
