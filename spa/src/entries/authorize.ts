import { createApp } from 'vue';
import '../styles/base.css';
import AuthorizeView from '../views/AuthorizeView.vue';

createApp(AuthorizeView).mount('#app');
