import { createApp } from 'vue';
import '../styles/base.css';
import '../styles/admin.css';
import AdminView from '../views/AdminView.vue';

createApp(AdminView).mount('#app');
