import { createApp } from 'vue';
import '../styles/base.css';
import ResetView from '../views/ResetView.vue';

createApp(ResetView).mount('#app');
