import { createApp } from 'vue';
import '../styles/base.css';
import LogoutView from '../views/LogoutView.vue';

createApp(LogoutView).mount('#app');
